import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHAOS_OFF } from '../src/chaos.js'
import { createServer, startServer } from '../src/server.js'
import { openTestDb, type TestDb } from './support/testDb.js'
import { COLLECTIONS, entry } from './support/testServer.js'

let database: TestDb

beforeAll(async () => {
  database = await openTestDb()
})
afterAll(() => database.dispose())
afterEach(() => {
  vi.unstubAllEnvs()
})

// Chaos exists only on a server started with it; `{}` enables it with every setting off.
const start = (chaos: { latencyMs?: number; failureRate?: number; failWrites?: boolean } = {}) =>
  startServer({ collections: COLLECTIONS, db: database.db, port: 0, chaos })

async function postOps(url: string, ops: unknown[]): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ops }),
  })
  return { status: response.status, body: await response.json() }
}

async function postChaos(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/chaos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

const createOp = (id: number) => ({
  opId: `w${id}`,
  kind: 'write',
  store: 'todos',
  entries: [entry('create', id, { value: { title: `t${id}` } })],
})
const countItems = async () => (await database.db.query('SELECT id FROM atoma_items')).length

describe('chaos', () => {
  it('does not exist on a server started without it', async () => {
    const server = await startServer({ collections: COLLECTIONS, db: database.db, port: 0 })
    for (const init of [
      undefined,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    ]) {
      const response = await fetch(`${server.url}/chaos`, init)
      expect(response.status).toBe(404)
    }
    expect(() => server.setChaos({ failureRate: 1 })).toThrow('start the server with the chaos option')
    await server.close()
  })

  it('starts off when enabled with {}', async () => {
    const server = await start()
    expect(server.getChaos()).toEqual(CHAOS_OFF)
    const response = await fetch(`${server.url}/chaos`)
    expect(await response.json()).toEqual({ chaos: CHAOS_OFF })
    expect((await postOps(server.url, [createOp(1)])).status).toBe(200)
    await server.close()
  })

  it('fails whole requests with a retryable 503 and applies nothing', async () => {
    const server = await start({ failureRate: 1 })
    const before = await countItems()
    const response = await postOps(server.url, [createOp(2)])
    expect(response).toEqual({
      status: 503,
      body: {
        error: {
          code: 'TRANSPORT',
          message: 'chaos: injected failure, nothing was applied',
          retryable: true,
        },
      },
    })
    expect(await countItems()).toBe(before)
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    await server.close()
  })

  it('with failWrites, rejects write entries unapplied and lets queries through', async () => {
    const server = await start({ failureRate: 1, failWrites: true })
    const before = await countItems()
    const { status, body } = await postOps(server.url, [
      createOp(3),
      { opId: 'q', kind: 'query', store: 'todos', query: {} },
    ])
    expect(status).toBe(200)
    expect(body).toMatchObject({
      results: [
        {
          opId: 'w3',
          ok: true,
          status: 'rejected',
          items: [{ status: 'rejected', error: { code: 'TRANSPORT', retryable: true } }],
        },
        { opId: 'q', ok: true, kind: 'query' },
      ],
    })
    expect(await countItems()).toBe(before)
    await server.close()
  })

  it('delays requests by latencyMs', async () => {
    const server = await start({ latencyMs: 300 })
    const started = performance.now()
    expect((await postOps(server.url, [])).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    await server.close()
  })

  it('is switched on and off at runtime through POST /chaos', async () => {
    const server = await start()
    expect(await postChaos(server.url, { failureRate: 1 })).toEqual({
      status: 200,
      body: { chaos: { latencyMs: 0, failureRate: 1, failWrites: false } },
    })
    expect(server.getChaos().failureRate).toBe(1)
    expect((await postOps(server.url, [])).status).toBe(503)
    expect((await postChaos(server.url, {})).body).toEqual({ chaos: CHAOS_OFF })
    expect((await postOps(server.url, [])).status).toBe(200)
    server.setChaos({ failureRate: 1 })
    expect((await postOps(server.url, [])).status).toBe(503)
    server.setChaos({})
    await server.close()
  })

  it.each([
    [{ failureRate: 2 }, 'chaos.failureRate must be a number from 0 to 1'],
    [{ latencyMs: -5 }, 'chaos.latencyMs must be an integer'],
    [{ failWrites: 'yes' }, 'chaos.failWrites must be a boolean'],
    [{ chaos: true }, 'unknown property "chaos"'],
    [[], 'chaos must be an object'],
  ])('refuses the setting %j with 400', async (setting, message) => {
    const server = await start()
    const response = await postChaos(server.url, setting)
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({
      error: { code: 'VALIDATION', message: expect.stringContaining(message), retryable: false },
    })
    expect(server.getChaos()).toEqual(CHAOS_OFF)
    await server.close()
  })
})

describe('chaos when NODE_ENV=production', () => {
  it('refuses to start with chaos on', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    await expect(
      createServer({ collections: COLLECTIONS, db: database.db, chaos: { failureRate: 0.5 } }),
    ).rejects.toThrow('chaos is a development tool: refused when NODE_ENV=production')
    await expect(
      createServer({ collections: COLLECTIONS, db: database.db, chaos: { latencyMs: 10 } }),
    ).rejects.toThrow('refused when NODE_ENV=production')
  })

  it('answers 403 on /chaos, refuses setChaos, and serves ops normally', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const server = await start()
    for (const init of [
      undefined,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"failureRate":1}' },
    ]) {
      const response = await fetch(`${server.url}/chaos`, init)
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({ error: { code: 'REJECTED', retryable: false } })
    }
    expect(() => server.setChaos({ failureRate: 1 })).toThrow('refused when NODE_ENV=production')
    expect(
      (await postOps(server.url, [{ opId: 'q', kind: 'query', store: 'todos', query: {} }])).status,
    ).toBe(200)
    await server.close()
  })
})
