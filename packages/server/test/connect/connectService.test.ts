import type { IncomingMessage } from 'node:http'
import { queryOutput, queryRequest, WriteOp, writeOutput, writeRequest } from '@atoma/connect/protocol'
import type { Query, RemoteOpResult, RemoteQueryResult, RemoteWriteEntry } from '@atoma/runtime/protocol'
import { Code } from '@connectrpc/connect'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CollectionConfig } from '../../src/collections.js'
import { failureOf, PROTOCOLS, type Protocol, serviceClient } from '../support/connectClients.js'
import { send } from '../support/send.js'
import { dumpDatabase, openTestDb, type TestDb } from '../support/testDb.js'
import { entry, startTestServer, type TestServer } from '../support/testServer.js'

/**
 * The Connect service of @atoma/server against what `POST /ops` does on the same server and
 * database: the same answers, and the same authentication, read rules, budgets, body limits,
 * JSON rules and rate limits, in every protocol and encoding. (`Subscribe`: subscribe.test.ts;
 * the conformance suite through connectBackend: conformance.test.ts.)
 */

/** `Bearer <id>` is the principal `<id>`; anything else is no one. */
const authenticate = (req: IncomingMessage) => {
  const id = /^Bearer ([a-z0-9-]+)$/.exec(req.headers.authorization ?? '')?.[1]
  return id === undefined ? null : { id }
}
const as = (id: string) => ({ authorization: `Bearer ${id}` })

const OWNED: CollectionConfig[] = [
  {
    name: 'todos',
    key: 'id',
    fields: { ownerId: 'text', title: 'text' },
    authorize: { read: { ownerId: { $principal: 'id' } } },
  },
]

let database: TestDb
let secured: TestServer
let limited: TestServer
beforeAll(async () => {
  database = await openTestDb()
  secured = await startTestServer(
    {
      authenticate,
      collections: OWNED,
      limits: { maxResponseRows: 5, maxBodyBytes: 16 * 1024, maxEntriesPerOp: 3 },
    },
    database,
  )
  // Three requests, then one every 1,000 s: nothing refills during a test.
  limited = await startTestServer(
    { authenticate, collections: OWNED, rateLimit: { perSecond: 0.001, burst: 3 } },
    database,
  )
})
afterAll(async () => {
  await limited.close()
  await secured.close()
  await database.dispose()
})

/** The result of one op through `POST /ops`, without its opId (what a Connect call answers). */
async function viaOps(server: TestServer, principal: string, op: Record<string, unknown>) {
  const { status, body } = await server.post({ ops: [{ opId: 'o', ...op }] }, { headers: as(principal) })
  expect(status, JSON.stringify(body)).toBe(200)
  const { opId: _, ...result } = (body as { results: RemoteOpResult[] }).results[0]!
  return result
}

const malformed = (what: string) => new Error(`malformed answer: ${what}`)

describe.each(PROTOCOLS)('the Connect service over $name', (protocol: Protocol) => {
  const client = () => serviceClient(secured.server.url, protocol)
  const query = async (principal: string, q: Query) =>
    queryOutput(
      await client().query(queryRequest('todos', q), { headers: as(principal) }),
      malformed,
    ) as Omit<RemoteQueryResult, 'opId'>
  const write = async (principal: string, entries: RemoteWriteEntry[]) =>
    writeOutput(await client().write(writeRequest('todos', entries), { headers: as(principal) }), malformed)
  const user = (name: string) => `${name}-${protocol.transport}-${protocol.binary ? 'bin' : 'json'}`

  it('queries and writes what /ops does, on the same database, with the same answers', async () => {
    const alice = user('alice')
    const written = await write(alice, [
      entry('create', `${alice}-1`, { value: { ownerId: alice, title: 'one' } }),
      entry('create', `${alice}-2`, { value: { ownerId: alice, title: 'two' } }),
    ])
    expect(written).toMatchObject({
      ok: true,
      kind: 'write',
      status: 'confirmed',
      items: [
        { status: 'confirmed', id: `${alice}-1`, value: { id: `${alice}-1`, ownerId: alice, title: 'one' } },
        { status: 'confirmed', id: `${alice}-2` },
      ],
    })
    await viaOps(secured, alice, {
      kind: 'write',
      store: 'todos',
      entries: [entry('create', `${alice}-3`, { value: { ownerId: alice, title: 'three' } })],
    })
    const asked: Query = { where: { title: { ne: 'two' } }, orderBy: [['title', 'desc']] }
    const answer = await query(alice, asked)
    expect(answer).toEqual(await viaOps(secured, alice, { kind: 'query', store: 'todos', query: asked }))
    expect(answer).toMatchObject({
      items: [{ id: `${alice}-3` }, { id: `${alice}-1`, version: expect.any(Number) }],
    })
  })

  it('answers a call without credentials UNAUTHENTICATED, and runs nothing', async () => {
    const before = await dumpDatabase(database.db)
    for (const headers of [{}, { authorization: 'Bearer NOT VALID' }] as Record<string, string>[]) {
      const refused = await failureOf(
        client().write(writeRequest('todos', [entry('create', 'nobody', { value: { ownerId: 'x' } })]), {
          headers,
        }),
      )
      expect(refused).toMatchObject({
        code: Code.Unauthenticated,
        info: { code: 'UNAUTHENTICATED', retryable: false, message: expect.stringMatching(/credentials/) },
      })
    }
    expect(await dumpDatabase(database.db)).toBe(before)
  })

  it("never answers another user's rows, and refuses writes to them", async () => {
    const [alice, bob] = [user('ann'), user('bob')]
    const secret = await viaOps(secured, bob, {
      kind: 'write',
      store: 'todos',
      entries: [entry('create', `${bob}-secret`, { value: { ownerId: bob, title: 'secret' } })],
    })
    await write(alice, [entry('create', `${alice}-mine`, { value: { ownerId: alice, title: 'mine' } })])
    expect((await query(alice, {})).items.map((item) => item.id)).toEqual([`${alice}-mine`])
    expect(await query(alice, { where: { id: `${bob}-secret` } })).toMatchObject({ items: [] })
    expect(await query(alice, { where: { ownerId: bob } })).toMatchObject({ items: [] })
    const steal = await write(alice, [
      entry('update', `${bob}-secret`, { patches: [{ op: 'replace', path: ['ownerId'], value: alice }] }),
    ])
    expect(steal).toMatchObject({
      status: 'rejected',
      items: [{ status: 'rejected', error: { code: 'FORBIDDEN' } }],
    })
    const { version } = (secret as unknown as { items: [{ version: number }] }).items[0]
    expect((await query(bob, {})).items).toEqual([
      { id: `${bob}-secret`, version, value: { id: `${bob}-secret`, ownerId: bob, title: 'secret' } },
    ])
  })

  it('fails a query over the response budget RESPONSE_TOO_LARGE, as /ops does', async () => {
    const carol = user('carol')
    await write(
      carol,
      [1, 2, 3].map((n) => entry('create', `${carol}-${n}`, { value: { ownerId: carol, title: 'x' } })),
    )
    await write(
      carol,
      [4, 5, 6].map((n) => entry('create', `${carol}-${n}`, { value: { ownerId: carol, title: 'x' } })),
    )
    const tooMany = await failureOf(client().query(queryRequest('todos', {}), { headers: as(carol) }))
    const ops = await viaOps(secured, carol, { kind: 'query', store: 'todos', query: {} })
    expect(tooMany).toEqual({ code: Code.ResourceExhausted, info: (ops as { error: unknown }).error })
    expect(tooMany.info).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: false })
    expect((await query(carol, { limit: 5 })).items).toHaveLength(5)
  })

  it('refuses a body over limits.maxBodyBytes and more entries than limits.maxEntriesPerOp, applying nothing', async () => {
    const dave = user('dave')
    const before = await dumpDatabase(database.db)
    const big = await failureOf(
      client().write(
        writeRequest('todos', [
          entry('create', `${dave}-big`, { value: { ownerId: dave, title: 'x'.repeat(20_000) } }),
        ]),
        { headers: as(dave) },
      ),
    )
    expect(big).toMatchObject({
      code: Code.InvalidArgument,
      info: { code: 'VALIDATION', retryable: false, message: 'the request body exceeds 16384 bytes' },
    })
    const many = [1, 2, 3, 4].map((n) => entry('create', `${dave}-${n}`, { value: { ownerId: dave } }))
    expect(await failureOf(client().write(writeRequest('todos', many), { headers: as(dave) }))).toMatchObject(
      {
        code: Code.InvalidArgument,
        info: { code: 'VALIDATION', message: expect.stringMatching(/at most 3 entries/) },
      },
    )
    expect(await dumpDatabase(database.db)).toBe(before)
  })

  it('reads the JSON text inside messages under the JSON body rules', async () => {
    const erin = user('erin')
    const before = await dumpDatabase(database.db)
    // Requests as a client of its own would craft them (connectBackend sends only JSON.stringify's text).
    const valued = (value: string) => ({
      store: 'todos',
      entries: [
        {
          entryId: 'e1',
          op: WriteOp.CREATE,
          id: { kind: { case: 'text' as const, value: `${erin}-1` } },
          value,
          idempotencyKey: `${erin}-key`,
          clientTimeMs: 1,
        },
      ],
    })
    const deep = `{"id":"${erin}-1","ownerId":"${erin}","x":${'['.repeat(64)}${']'.repeat(64)}}`
    const problems = [
      [deep, /entry 'e1': the value: it is nested deeper than 64 levels/],
      [
        `{"id":"${erin}-1","ownerId":"${erin}","__proto__":{"x":1}}`,
        /the value: it contains the forbidden key "__proto__"/,
      ],
      [`{"id":"${erin}-1",`, /the value: it is not valid JSON/],
    ] as const
    for (const [value, message] of problems) {
      expect(await failureOf(client().write(valued(value), { headers: as(erin) }))).toMatchObject({
        code: Code.InvalidArgument,
        info: { code: 'VALIDATION', retryable: false, message: expect.stringMatching(message) },
      })
    }
    const badQuery = await failureOf(
      client().query({ store: 'todos', query: '{"where":' }, { headers: as(erin) }),
    )
    expect(badQuery).toMatchObject({
      info: { code: 'VALIDATION', message: expect.stringMatching(/^the query: it is not valid JSON/) },
    })
    expect(await dumpDatabase(database.db)).toBe(before)
    // One level less fits, as it does in a JSON body.
    const fits = `{"id":"${erin}-1","ownerId":"${erin}","x":${'['.repeat(63)}${']'.repeat(63)}}`
    const stored = writeOutput(await client().write(valued(fits), { headers: as(erin) }), malformed)
    expect(stored).toMatchObject({ status: 'confirmed' })
  })

  it('fails an op on an unknown store UNKNOWN_STORE, and a malformed one VALIDATION', async () => {
    expect(
      await failureOf(client().query(queryRequest('nope', {}), { headers: as(user('frank')) })),
    ).toMatchObject({ code: Code.NotFound, info: { code: 'UNKNOWN_STORE', message: 'unknown store "nope"' } })
    expect(
      await failureOf(
        client().query(queryRequest('todos', { where: { secret: 1 } }), { headers: as(user('frank')) }),
      ),
    ).toMatchObject({ code: Code.InvalidArgument, info: { code: 'VALIDATION' } })
  })

  it('takes calls from the rate limit of the principal, shared with /ops', async () => {
    const grace = user('grace')
    const url = limited.server.url
    const ops = await limited.post({ ops: [] }, { headers: as(grace) })
    expect(ops.status).toBe(200)
    const c = serviceClient(url, protocol)
    await c.query(queryRequest('todos', {}), { headers: as(grace) })
    await c.write(writeRequest('todos', []), { headers: as(grace) })
    const refused = await failureOf(c.query(queryRequest('todos', {}), { headers: as(grace) }))
    expect(refused).toMatchObject({
      code: Code.ResourceExhausted,
      info: { code: 'RATE_LIMITED', retryable: true, retryAfterMs: expect.any(Number) },
    })
    expect(refused.info.retryAfterMs).toBeGreaterThan(0)
    expect((await limited.post({ ops: [] }, { headers: as(grace) })).status).toBe(429)
    // Another principal has a budget of its own.
    await c.query(queryRequest('todos', {}), { headers: as(user('heidi')) })
  })
})

describe('the Connect service at the HTTP level', () => {
  let cors: TestServer
  let off: TestServer
  beforeAll(async () => {
    cors = await startTestServer(
      { cors: { origins: ['https://app.example.com'] }, allowedHosts: ['api.example.com'] },
      database,
    )
    off = await startTestServer({ connect: false }, database)
  })
  afterAll(async () => {
    await off.close()
    await cors.close()
  })

  const query = (
    server: TestServer,
    headers: Record<string, string>,
    path = '/atoma.v1.AtomaService/Query',
  ) =>
    send(`${server.server.url}${path}`, {
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ store: 'todos', query: '{}' }),
    })

  it('lives at {basePath}/atoma.v1.AtomaService/*, beside the JSON endpoint', async () => {
    const answer = await query(cors, {})
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('application/json')
    expect(JSON.parse(answer.text)).toMatchObject({ items: expect.any(Array) })
    expect((await query(cors, {}, '/atoma.v1.AtomaService/Nope')).status).toBe(404)
  })

  it('refuses a foreign Host or Origin at the doors, in the Connect protocol', async () => {
    for (const headers of [{ host: 'evil.example' }, { origin: 'https://evil.example' }] as Record<
      string,
      string
    >[]) {
      const answer = await query(cors, headers)
      expect(answer.status).toBe(403)
      expect(JSON.parse(answer.text)).toMatchObject({
        code: 'permission_denied',
        details: [{ type: 'atoma.v1.ErrorInfo', debug: { code: 'FORBIDDEN' } }],
      })
    }
    expect((await query(cors, { host: 'api.example.com' })).status).toBe(200)
  })

  it("lets browsers of a CORS origin send Connect's and gRPC-Web's headers and read gRPC-Web's status", async () => {
    const preflight = await send(`${cors.server.url}/atoma.v1.AtomaService/Query`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, connect-protocol-version, x-grpc-web',
      },
    })
    expect(preflight.status).toBe(204)
    const allowed = String(preflight.headers['access-control-allow-headers']).split(', ')
    expect(allowed).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'connect-protocol-version',
        'connect-timeout-ms',
        'x-grpc-web',
        'x-user-agent',
        'grpc-timeout',
      ]),
    )
    const call = await send(`${cors.server.url}/atoma.v1.AtomaService/Query`, {
      headers: {
        origin: 'https://app.example.com',
        'content-type': 'application/grpc-web+proto',
        'x-grpc-web': '1',
      },
      body: new Uint8Array([0, 0, 0, 0, 0]),
    })
    expect(call.headers['access-control-allow-origin']).toBe('https://app.example.com')
    const exposed = String(call.headers['access-control-expose-headers']).split(', ')
    expect(exposed).toEqual(
      expect.arrayContaining(['retry-after', 'grpc-status', 'grpc-message', 'grpc-status-details-bin']),
    )
  })

  it('answers only POST', async () => {
    const answer = await send(
      `${cors.server.url}/atoma.v1.AtomaService/Query?connect=v1&encoding=json&message={}`,
      {
        method: 'GET',
      },
    )
    expect(answer.status).toBe(405)
    expect(answer.headers.allow).toBe('POST')
  })

  it('is not there with connect: false', async () => {
    expect((await query(off, {})).status).toBe(404)
  })
})
