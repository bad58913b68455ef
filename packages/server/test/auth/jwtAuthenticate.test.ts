import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jwtAuthenticate } from '../../src/auth/jwtAuthenticate.js'
import type { CollectionConfig } from '../../src/collections.js'
import { entry, idsOf, startTestServer, type TestServer } from '../support/testServer.js'
import { AUDIENCE, bearer, ISSUER, SECRET, tamper, token, unsignedToken } from '../support/tokens.js'

// A read rule on the principal shows that the verified `sub` (and claims) reach the ops.
const COLLECTIONS: CollectionConfig[] = [
  {
    name: 'todos',
    fields: { ownerId: 'text', org: 'text' },
    authorize: { read: { ownerId: { $principal: 'id' } }, write: true },
  },
]

let t: TestServer
beforeAll(async () => {
  t = await startTestServer({
    collections: COLLECTIONS,
    authenticate: jwtAuthenticate({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE }),
  })
  await t.post(
    {
      ops: [
        {
          opId: 'seed',
          kind: 'write',
          store: 'todos',
          entries: [
            entry('create', 'a', { value: { ownerId: 'alice' } }),
            entry('create', 'b', { value: { ownerId: 'bob' } }),
          ],
        },
      ],
    },
    { headers: bearer(await token('alice')) },
  )
})
afterAll(() => t.close())

const query = { ops: [{ opId: 'q', kind: 'query', store: 'todos', query: {} }] }

describe('jwtAuthenticate', () => {
  it("takes the principal from a valid token's sub", async () => {
    const { status: code, body } = await t.post(query, { headers: bearer(await token('alice')) })
    expect(code).toBe(200)
    expect(idsOf((body as { results: never[] }).results[0]!)).toEqual(['a'])
    const asBob = await t.post(query, { headers: bearer(await token('bob')) })
    expect(idsOf((asBob.body as { results: never[] }).results[0]!)).toEqual(['b'])
  })

  it.each([
    ['no Authorization header', async () => ({})],
    ['another scheme', async () => ({ authorization: `Basic ${await token('alice')}` })],
    ['garbage', async () => ({ authorization: 'Bearer garbage' })],
    [
      'a signature made with another secret',
      async () => bearer(await token('alice', { secret: 'x'.repeat(40) })),
    ],
    [
      "a payload changed under alice's signature",
      async () => bearer(tamper(await token('alice'), { sub: 'bob', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })),
    ],
    ['an expired token', async () => bearer(await token('alice', { expiresIn: -60 }))],
    ['a token not valid yet', async () => bearer(await token('alice', { notBefore: 600 }))],
    ['a token without exp', async () => bearer(await token('alice', { expiresIn: null }))],
    ['a token without sub', async () => bearer(await token(undefined))],
    ['the wrong audience', async () => bearer(await token('alice', { audience: 'another-app' }))],
    ['the wrong issuer', async () => bearer(await token('alice', { issuer: 'https://evil.example' }))],
    ['HS512 where HS256 is configured', async () => bearer(await token('alice', { alg: 'HS512' }))],
    ['alg none', async () => bearer(unsignedToken({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: 9e9 }))],
  ])('answers 401 to %s', async (_name, headers) => {
    const response = await t.post(query, { headers: await headers() })
    expect(response.status).toBe(401)
    expect(response.body).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        message: 'missing or invalid credentials (Authorization: Bearer <token>)',
        retryable: false,
      },
    })
    expect(response.headers['www-authenticate']).toBe('Bearer realm="atoma"')
  })

  it('refuses options that cannot be safe', () => {
    expect(() => jwtAuthenticate({})).toThrow('exactly one of secret and jwksUrl')
    expect(() => jwtAuthenticate({ secret: SECRET, jwksUrl: 'http://127.0.0.1/jwks' })).toThrow('exactly one')
    expect(() => jwtAuthenticate({ secret: 'short' })).toThrow('at least 32 bytes')
    expect(() => jwtAuthenticate({ secret: SECRET, algorithms: ['RS256'] })).toThrow(
      'algorithm "RS256" does not go with a secret',
    )
    expect(() => jwtAuthenticate({ jwksUrl: 'http://127.0.0.1/jwks', algorithms: ['HS256'] })).toThrow(
      'does not go with a JWKS',
    )
    expect(() => jwtAuthenticate({ secret: SECRET, algorithms: ['none'] })).toThrow('"none"')
  })
})

describe('jwtAuthenticate with a JWKS', () => {
  let jwks: Server
  let keys: Awaited<ReturnType<typeof generateKeyPair>>
  let server: TestServer

  beforeAll(async () => {
    keys = await generateKeyPair('RS256')
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
    const { port } = jwks.address() as AddressInfo
    server = await startTestServer({
      collections: COLLECTIONS,
      authenticate: jwtAuthenticate({
        jwksUrl: `http://127.0.0.1:${port}/jwks`,
        issuer: ISSUER,
        audience: AUDIENCE,
      }),
    })
  })
  afterAll(async () => {
    await server.close()
    await new Promise((resolve) => jwks.close(resolve))
  })

  const signed = (sub: string, privateKey: CryptoKey, kid = 'k1') =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .sign(privateKey)

  it('accepts a token signed with a key of the set', async () => {
    expect(
      (await server.post(query, { headers: bearer(await signed('alice', keys.privateKey)) })).status,
    ).toBe(200)
  })

  it('refuses a token signed with another key, and an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const other = await generateKeyPair('RS256')
    expect(
      (await server.post(query, { headers: bearer(await signed('alice', other.privateKey)) })).status,
    ).toBe(401)
    const publicPem = new TextEncoder().encode(await exportSPKI(keys.publicKey))
    const confused = await token('alice', { secret: publicPem })
    expect((await server.post(query, { headers: bearer(confused) })).status).toBe(401)
  })
})
