import type { IncomingMessage } from 'node:http'
import type { OpsResponse, RemoteOpResult } from '@atoma/runtime/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CollectionConfig } from '../src/collections.js'
import { send } from './support/send.js'
import { openTestDb, type TestDb } from './support/testDb.js'
import { entry, idsOf, opError, startTestServer, type TestServer } from './support/testServer.js'

/**
 * One test per server-side bug of issue 14, each written against the server as the issue found
 * it (and failing there) before the fix.
 */
const PRINCIPALS: Record<string, { id: string }> = {
  'Bearer alice-token': { id: 'alice' },
  'Bearer bob-token': { id: 'bob' },
}
const authenticate = (req: IncomingMessage) => PRINCIPALS[req.headers.authorization ?? ''] ?? null
const ALICE = { authorization: 'Bearer alice-token' }
const BOB = { authorization: 'Bearer bob-token' }

const OWNED: CollectionConfig[] = [
  {
    name: 'todos',
    key: 'id',
    fields: { ownerId: 'text', title: 'text' },
    authorize: { read: (principal) => ({ ownerId: principal.id }) },
  },
]

// One database for the file (each test empties it); a server of its own per test.
let database: TestDb
let t: TestServer | undefined
beforeAll(async () => {
  database = await openTestDb()
})
afterAll(() => database.dispose())
afterEach(async () => {
  await t?.reset()
  await t?.close()
  t = undefined
})

async function opsAs(
  server: TestServer,
  headers: Record<string, string>,
  ops: unknown[],
): Promise<RemoteOpResult[]> {
  const { status, body } = await server.post({ ops }, { headers })
  expect(status, JSON.stringify(body)).toBe(200)
  return (body as OpsResponse).results
}

describe('issue 14: no authentication or authorization', () => {
  it('answers 401 with UNAUTHENTICATED and WWW-Authenticate to garbage credentials', async () => {
    t = await startTestServer({ authenticate }, database)
    for (const headers of [{ authorization: 'Bearer garbage' }, {} as Record<string, string>]) {
      const response = await t.post({ ops: [] }, { headers })
      expect(response.status).toBe(401)
      expect(response.body).toMatchObject({ error: { code: 'UNAUTHENTICATED', retryable: false } })
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/)
    }
    expect((await t.post({ ops: [] }, { headers: ALICE })).status).toBe(200)
  })

  it("shows a user only their rows and refuses writes to another user's row", async () => {
    t = await startTestServer({ authenticate, collections: OWNED }, database)
    const bobs = entry('create', 'b1', { value: { ownerId: 'bob', title: 'secret' } })
    await opsAs(t, BOB, [{ opId: 'w', kind: 'write', store: 'todos', entries: [bobs] }])
    const alices = entry('create', 'a1', { value: { ownerId: 'alice', title: 'mine' } })
    const steal = entry('update', 'b1', {
      patches: [{ op: 'replace', path: ['ownerId'], value: 'alice' }],
    })
    const [write, query] = await opsAs(t, ALICE, [
      { opId: 'w', kind: 'write', store: 'todos', entries: [steal, alices] },
      { opId: 'q', kind: 'query', store: 'todos', query: {} },
    ])
    expect(write).toMatchObject({
      ok: true,
      status: 'partial',
      items: [
        { status: 'rejected', error: { code: 'FORBIDDEN', retryable: false } },
        { status: 'confirmed' },
      ],
    })
    expect(idsOf(query!)).toEqual(['a1'])
    const [bobView] = await opsAs(t, BOB, [{ opId: 'q', kind: 'query', store: 'todos', query: {} }])
    expect(bobView).toMatchObject({ items: [{ id: 'b1', version: 1, value: { ownerId: 'bob' } }] })
  })

  it("does not answer another principal's stored result for a replayed idempotency key", async () => {
    t = await startTestServer({ authenticate }, database)
    const create = entry('create', 'x', { value: { title: "alice's" } })
    await opsAs(t, ALICE, [{ opId: 'w', kind: 'write', store: 'todos', entries: [create] }])
    const [replay] = await opsAs(t, BOB, [{ opId: 'w', kind: 'write', store: 'todos', entries: [create] }])
    // For bob the key is new: his create meets the existing item instead of alice's result.
    expect(replay).toMatchObject({ status: 'rejected', items: [{ error: { code: 'CONFLICT' } }] })
    const other = {
      ...entry('create', 'y', { value: { title: "bob's" } }),
      idempotencyKey: create.idempotencyKey,
    }
    const [own] = await opsAs(t, BOB, [{ opId: 'w', kind: 'write', store: 'todos', entries: [other] }])
    // Version 2 of the store: alice's create took the first.
    expect(own).toMatchObject({ status: 'confirmed', items: [{ id: 'y', version: 2 }] })
  })
})

describe('issue 14: unbounded work', () => {
  it('answers 100 query ops over 36 MB of rows with per-op RESPONSE_TOO_LARGE, and a small request meanwhile', async () => {
    t = await startTestServer({}, database)
    // 1,000 rows of 36 KB: every op asks for all of them.
    await t.database.db.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data)
       SELECT 'todos', 'number', g::text, 1, jsonb_build_object('id', g, 'title', repeat(md5(g::text), 1125))
       FROM generate_series(1, 1000) g`,
    )
    await t.writeOk('notes', [entry('create', 'n', { value: { body: 'small' } })])
    const ops = Array.from({ length: 100 }, (_, i) => ({
      opId: `q${i}`,
      kind: 'query',
      store: 'todos',
      query: { limit: 1000 },
    }))
    const big = t.post({ ops })
    const small = t.query('notes', {})
    expect(idsOf(await small)).toEqual(['n'])
    const { status, body } = await big
    expect(status).toBe(200)
    const { results } = body as OpsResponse
    expect(results).toHaveLength(100)
    for (const result of results) expect(opError(result).code).toBe('RESPONSE_TOO_LARGE')
    expect(opError(results[0]!).retryable).toBe(false)
  }, 60_000)

  it('answers a burst of 1,000 requests from one principal with 429 past its budget', async () => {
    t = await startTestServer({ rateLimit: {} }, database)
    const statuses: number[] = []
    let limited: { headers: Record<string, unknown>; text: string } | undefined
    const url = `${t.server.url}/ops`
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          send(url, { headers: { 'content-type': 'application/json' }, body: '{"ops":[]}' }),
        ),
      )
      for (const answer of answers) {
        statuses.push(answer.status)
        if (answer.status === 429) limited ??= answer
      }
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0)
    expect(limited?.headers['retry-after']).toMatch(/^[1-9][0-9]*$/)
    expect(JSON.parse(limited?.text ?? '{}')).toMatchObject({
      error: { code: 'RATE_LIMITED', retryable: true, retryAfterMs: expect.any(Number) },
    })
  })
})

describe('issue 14: open doors', () => {
  it('refuses a Host that is not the server (DNS rebinding) and a foreign Origin', async () => {
    t = await startTestServer({}, database)
    const url = `${t.server.url}/ops`
    const json = { 'content-type': 'application/json' }
    const rebound = await send(url, { headers: { ...json, host: 'evil.example' }, body: '{"ops":[]}' })
    expect(rebound.status).toBe(421)
    const foreign = await send(url, {
      headers: { ...json, origin: 'https://evil.example' },
      body: '{"ops":[]}',
    })
    expect(foreign.status).toBe(403)
    expect((await send(url, { headers: json, body: '{"ops":[]}' })).status).toBe(200)
  })

  it('has no /chaos unless started with chaos, whatever NODE_ENV is', async () => {
    t = await startTestServer({}, database)
    const url = `${t.server.url}/chaos`
    const post = await send(url, {
      headers: { 'content-type': 'application/json' },
      body: '{"failureRate":1}',
    })
    expect(post.status).toBe(404)
    expect((await t.post({ ops: [] })).status).toBe(200)
  })

  it('answers /health with { ok: true } and nothing else', async () => {
    t = await startTestServer({}, database)
    const health = await send(`${t.server.url}/health`, { method: 'GET' })
    expect(health.status).toBe(200)
    expect(JSON.parse(health.text)).toEqual({ ok: true })
  })
})

describe('issue 14: values', () => {
  it('refuses 1e309 (Infinity after JSON.parse) in values, patches and query operands', async () => {
    t = await startTestServer({}, database)
    await t.writeOk('todos', [entry('create', 1, { value: { title: 'a' } })])
    const create = JSON.stringify(entry('create', 2, { value: { priority: 0 } })).replace(
      '"priority":0',
      '"priority":1e309',
    )
    const patch = JSON.stringify(
      entry('patch', 1, { patches: [{ op: 'replace', path: ['priority'], value: 0 }] }),
    ).replace('"value":0', '"value":-1e309')
    const body = `{"ops":[
      {"opId":"w","kind":"write","store":"todos","entries":[${create},${patch}]},
      {"opId":"q","kind":"query","store":"todos","query":{"where":{"priority":1e309}}},
      {"opId":"i","kind":"query","store":"todos","query":{"where":{"priority":{"in":[1,-1e309]}}}}
    ]}`
    const { status, body: answer } = await t.post(body)
    expect(status).toBe(200)
    const [write, eq, within] = (answer as OpsResponse).results
    expect(write).toMatchObject({
      status: 'rejected',
      items: [{ error: { code: 'VALIDATION' } }, { error: { code: 'VALIDATION' } }],
    })
    expect(opError(eq!).code).toBe('VALIDATION')
    expect(opError(within!).code).toBe('VALIDATION')
    expect(idsOf(await t.query('todos', {}))).toEqual([1])
  })

  it('leaves out a stored row with a __proto__ own key, reports it, and lets an upsert repair it', async () => {
    const errors: unknown[] = []
    t = await startTestServer({ onError: (error) => errors.push(error) }, database)
    await t.writeOk('todos', [entry('create', 'ok', { value: { title: 'fine' } })])
    await t.database.db.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES
       ('todos', 'string', 'bad', 1, '{"id": "bad", "__proto__": {"polluted": true}}'::jsonb),
       ('todos', 'string', 'worse', 1, '{"id": "worse", "tags": [{"constructor": 1}]}'::jsonb)`,
    )
    expect(idsOf(await t.query('todos', {}))).toEqual(['ok'])
    expect(String(errors[0])).toContain('todos/"bad"')
    expect(String(errors[1])).toContain('todos/"worse"')

    const patch = await t.writeOk('todos', [
      entry('patch', 'bad', { patches: [{ op: 'replace', path: ['title'], value: 'x' }] }),
    ])
    expect(patch.items[0]).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION' } })
    const message = patch.items[0]?.status === 'rejected' ? patch.items[0].error.message : ''
    expect(message).toContain('"__proto__"')
    expect(message).toContain('upsert')

    const repair = await t.writeOk('todos', [
      entry('upsert', 'bad', { value: { title: 'repaired' } }),
      entry('delete', 'worse'),
    ])
    expect(repair.status).toBe('confirmed')
    expect(idsOf(await t.query('todos', {}))).toEqual(['bad', 'ok'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
