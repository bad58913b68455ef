import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer } from '../../src/server.js'
import { send } from '../support/send.js'
import { COLLECTIONS, startTestServer, type TestServer } from '../support/testServer.js'

let t: TestServer
let cors: TestServer

beforeAll(async () => {
  t = await startTestServer({
    allowedHosts: ['app.example.com', 'api.example.com:8443'],
    allowedOrigins: ['https://proxy.example'],
  })
  // Without the Connect service, whose headers join these (connect/connectService.test.ts).
  cors = await startTestServer(
    {
      cors: { origins: ['https://app.example.com'], credentials: true, headers: ['x-trace'] },
      connect: false,
    },
    t.database,
  )
})
afterAll(async () => {
  await cors.close()
  await t.close()
})

function post(server: TestServer, headers: Record<string, string>, path = '/ops') {
  return send(`${server.server.url}${path}`, {
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"ops":[]}',
  })
}

describe('the Host allow-list', () => {
  it('serves the listen address and the loopback names with the port, and configured hosts', async () => {
    const { port } = t.server
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
      'app.example.com',
      'app.example.com:443',
      'api.example.com:8443',
    ]) {
      expect((await post(t, { host })).status, host).toBe(200)
    }
  })

  it('answers 421 to any other Host, on every route', async () => {
    const { port } = t.server
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      'api.example.com:8444',
      `app.example.com.evil.example:${port}`,
    ]) {
      const answer = await post(t, { host })
      expect(answer.status, host).toBe(421)
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'FORBIDDEN', retryable: false } })
    }
    const health = await send(`${t.server.url}/health`, { method: 'GET', headers: { host: 'evil.example' } })
    expect(health.status).toBe(421)
  })
})

describe('the Origin check', () => {
  it('lets in requests without Origin, from the same origin, and from allowed origins (without CORS headers)', async () => {
    expect((await post(t, {})).status).toBe(200)
    expect((await post(t, { origin: `http://127.0.0.1:${t.server.port}` })).status).toBe(200)
    expect((await post(t, { host: 'app.example.com', origin: 'https://app.example.com' })).status).toBe(200)
    const proxied = await post(t, { origin: 'https://proxy.example' })
    expect(proxied.status).toBe(200)
    expect(proxied.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers 403 to any other Origin', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      `http://localhost:${t.server.port + 1}`,
      'https://proxy.example.evil',
    ]) {
      expect((await post(t, { origin })).status, origin).toBe(403)
    }
  })
})

describe('CORS', () => {
  it('is off by default: no preflight answer, no CORS headers', async () => {
    const preflight = await send(`${t.server.url}/ops`, {
      method: 'OPTIONS',
      headers: { origin: 'https://proxy.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(405)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers the preflight of an allowed origin, with credentials only when configured', async () => {
    const preflight = await send(`${cors.server.url}/ops`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, x-trace',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '600',
      vary: 'origin',
    })
    const actual = await post(cors, { origin: 'https://app.example.com' })
    expect(actual.status).toBe(200)
    expect(actual.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(actual.headers['access-control-expose-headers']).toBe('retry-after')
  })

  it('answers 403 to the preflight and the request of another origin', async () => {
    const preflight = await send(`${cors.server.url}/ops`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    expect((await post(cors, { origin: 'https://evil.example' })).status).toBe(403)
  })
})

describe('anonymous servers', () => {
  it('refuse to start on a non-loopback host unless anonymous access is allowed', async () => {
    await expect(
      createServer({ collections: COLLECTIONS, host: '0.0.0.0', db: t.database.db }),
    ).rejects.toThrow('refusing to serve 0.0.0.0 without authentication')
    const allowed = await createServer({
      collections: COLLECTIONS,
      host: '0.0.0.0',
      allowAnonymous: true,
      db: t.database.db,
    })
    expect(allowed.anonymous).toBe(true)
    await allowed.close()
    const authenticated = await createServer({
      collections: COLLECTIONS,
      host: '0.0.0.0',
      authenticate: () => ({ id: 'x' }),
      db: t.database.db,
    })
    expect(authenticated.anonymous).toBe(false)
    await authenticated.close()
  })
})
