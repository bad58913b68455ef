import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { send } from './support/send.js'
import { dumpDatabase } from './support/testDb.js'
import { entry, startTestServer, type TestServer } from './support/testServer.js'

/**
 * Hostile traffic against a running server: every request must get a 4xx or 200 with per-op
 * errors (never a 5xx, never a success that changes data), the stored rows must be identical
 * afterwards, and /health must still answer. Reproduce a failure with ATOMA_FUZZ_SEED.
 */
const SEED = Number(process.env.ATOMA_FUZZ_SEED ?? 20_250_601)
const RUNS = 1000
const MAX_BODY = 16 * 1024

let t: TestServer
let before: string

// Existing ids: creating them conflicts, so even well-formed writes cannot change anything.
const EXISTING = [1, 2, 'a']

beforeAll(async () => {
  t = await startTestServer({ limits: { maxBodyBytes: MAX_BODY, maxOpsPerRequest: 20 } })
  await t.writeOk(
    'todos',
    EXISTING.map((id) => entry('create', id, { value: { title: `item ${id}`, priority: 1, tags: ['x'] } })),
  )
  before = await dumpDatabase(t.database.db)
})
afterAll(() => t.close())

const injection = fc.constantFrom(
  "' OR '1'='1",
  "'; DROP TABLE atoma_items; --",
  'title"); DELETE FROM atoma_items; --',
  '$1',
  '\\',
  '%',
  '_',
  "data->>'id'",
  '1; SELECT pg_sleep(10)',
  '\u0000',
  '\uD800',
  '__proto__',
  'constructor',
  'prototype',
)
const hostileString = fc.oneof(
  injection,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
)
const hugeString = fc.integer({ min: MAX_BODY, max: MAX_BODY * 3 }).map((n) => 'x'.repeat(n))
const anyJson = fc.jsonValue({ maxDepth: 3 })
const deep = fc.integer({ min: 65, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`)

const badWhere = fc.oneof(
  hostileString.map((field) => ({ [`${field}x`]: 1 })),
  injection.map((value) => ({ title: { like: value } })),
  fc.record({ title: fc.constant({ eq: { nested: 1 } }) }),
  anyJson.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
  fc.constant({ priority: { contains: 1 } }),
  fc.constant({ tags: { gt: 'a' } }),
  injection.map((value) => ({ or: [{ title: value }, { [value]: 1 }] })),
  fc.integer({ min: 17, max: 40 }).map((levels) => {
    let where: Record<string, unknown> = { done: true }
    for (let level = 0; level < levels; level++) where = { not: where }
    return where
  }),
)
const badQuery = fc.oneof(
  badWhere.map((where) => ({ where })),
  fc.record({
    limit: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), hostileString, fc.constant(1e9)),
  }),
  fc.record({ offset: fc.oneof(fc.integer({ max: -1 }), hostileString) }),
  hostileString.map((field) => ({ orderBy: [[field, 'asc']] })),
  injection.map((direction) => ({ orderBy: [['title', direction]] })),
  anyJson.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
  fc.dictionary(
    hostileString.filter((key) => !['where', 'orderBy', 'limit', 'offset'].includes(key)),
    anyJson,
    {
      minKeys: 1,
      maxKeys: 3,
    },
  ),
)

const existingId = fc.constantFrom(...EXISTING)
const missingId = fc.oneof(
  fc.integer({ min: 1000 }),
  injection.filter((s) => s !== '\u0000' && s !== '\uD800'),
)
// Well-formed writes that must fail on the data: duplicates, missing ids, stale versions.
const failingEntry = fc.oneof(
  fc.tuple(existingId, anyJson).map(([id, title]) => entry('create', id, { value: { title } })),
  fc.tuple(missingId, hostileString).map(([id, title]) => entry('update', id, { value: { title } })),
  missingId.map((id) => entry('delete', id)),
  fc
    .tuple(existingId, fc.integer({ min: 2, max: 1000 }))
    .map(([id, baseVersion]) =>
      entry('patch', id, { baseVersion, patches: [{ op: 'replace', path: ['title'], value: 'stale' }] }),
    ),
  existingId.map((id) =>
    entry('patch', id, { patches: [{ op: 'replace', path: ['no', 'such', 'path'], value: 1 }] }),
  ),
)
// Malformed entries: rejected on their own (VALIDATION), or failing the whole op when they have no usable entryId.
const malformedEntry = fc.oneof(
  fc
    .constantFrom('__proto__', 'constructor', 'prototype')
    .map((segment) =>
      entry('patch', 1, { patches: [{ op: 'replace', path: [segment, 'polluted'], value: true }] }),
    ),
  fc.record({ entryId: hostileString, op: hostileString, id: anyJson }),
  hostileString.map((id) => entry('create', 5000, { value: { id } })),
  anyJson.map((value) => ({
    ...entry('create', 5001, { value: {} }),
    value: Array.isArray(value) ? value : [value],
  })),
  fc
    .constantFrom('\u0000', '\uD800', '\uDC00x')
    .map((text) => entry('create', 5002, { value: { title: text } })),
  anyJson.map((idempotencyKey) => ({
    ...entry('create', 5003, { value: {} }),
    idempotencyKey: [idempotencyKey],
  })),
  anyJson,
)
const storeName = fc.oneof(
  fc.constant('todos'),
  fc.constant('notes'),
  hostileString,
  hugeString.map((s) => s.slice(0, 2000)),
)

const op = fc.oneof(
  fc.record({
    opId: fc.string({ minLength: 1 }),
    kind: fc.constant('query'),
    store: fc.constant('todos'),
    query: badQuery,
  }),
  fc.record({
    opId: fc.string({ minLength: 1 }),
    kind: fc.constant('query'),
    store: hostileString,
    query: fc.constant({}),
  }),
  fc.record({
    opId: fc.string({ minLength: 1 }),
    kind: fc.constant('write'),
    store: fc.constant('todos'),
    entries: fc.array(failingEntry, { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    opId: fc.string({ minLength: 1 }),
    kind: fc.constant('write'),
    store: fc.constant('todos'),
    entries: fc
      .tuple(fc.array(failingEntry, { maxLength: 1 }), malformedEntry)
      .map(([good, bad]) => [...good, bad]),
  }),
  fc.record({
    opId: fc.string({ minLength: 1 }),
    kind: fc.constant('write'),
    store: storeName.filter((store) => store !== 'todos' && store !== 'notes'),
    entries: fc.array(fc.constant(entry('create', 7000, { value: {} })), { maxLength: 1 }),
  }),
  fc.record({ opId: fc.string({ minLength: 1 }), kind: hostileString, store: storeName }),
)

type Request = {
  body: string | Uint8Array<ArrayBuffer>
  contentType?: string
  path?: string
  method?: string
}
const request: fc.Arbitrary<Request> = fc.oneof(
  // Bodies that are not JSON, or not an envelope.
  fc.string({ maxLength: 200 }).map((body) => ({ body })),
  fc.uint8Array({ maxLength: 200 }).map((body) => ({ body })),
  anyJson.map((value) => ({ body: JSON.stringify({ ops: value }) })),
  anyJson.map((value) => ({ body: JSON.stringify(value) })),
  fc.array(op, { minLength: 1, maxLength: 5 }).map((ops) => ({ body: JSON.stringify({ ops }).slice(0, -3) })),
  deep.map((body) => ({ body })),
  hugeString.map((title) => ({
    body: JSON.stringify({
      ops: [{ opId: 'h', kind: 'query', store: 'todos', query: { where: { title } } }],
    }),
  })),
  fc.integer({ min: 21, max: 60 }).map((n) => ({
    body: JSON.stringify({ ops: Array.from({ length: n }, (_, i) => ({ opId: `o${i}` })) }),
  })),
  // __proto__ keys spliced in anywhere.
  fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({
    body: JSON.stringify({ ops }).replace(/\{"opId"/, '{"__proto__":{"polluted":true},"opId"'),
  })),
  // Envelopes whose every op is hostile.
  fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({ body: JSON.stringify({ ops }) })),
  fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({ body: JSON.stringify({ ops }) })),
  fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({ body: JSON.stringify({ ops }) })),
  // Wrong content types, methods and paths.
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '', 'json').map((contentType) => ({
    body: '{"ops":[]}',
    contentType,
  })),
  fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH').map((method) => ({ body: '', method })),
  hostileString.map((segment) => ({
    body: '{"ops":[]}',
    path: `/${encodeURIComponent(Buffer.from(segment).toString())}`,
  })),
)

/** Every op of a 200 answer failed, and no failure is an internal error. */
function everyOpFailed(body: unknown): boolean {
  const { results } = body as { results: Record<string, unknown>[] }
  return results.every((result) => {
    if (result.ok === false) return (result.error as { code: string }).code !== 'TRANSPORT'
    const items = result.items as { status: string; error?: { code: string } }[]
    return (
      result.kind === 'write' &&
      result.status === 'rejected' &&
      items.every((item) => item.status === 'rejected' && item.error?.code !== 'TRANSPORT')
    )
  })
}

describe('fuzz', () => {
  it(`answers ${RUNS} hostile requests with 4xx or per-op errors and changes nothing`, async () => {
    console.log(`fuzz seed: ${SEED} (set ATOMA_FUZZ_SEED to replay)`)
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(
        request,
        async ({ body, contentType = 'application/json', path = '/ops', method = 'POST' }) => {
          const { status, text } = await send(`${t.server.url}${path}`, {
            method,
            headers: { 'content-type': contentType },
            body,
          })
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
          expect(status, text.slice(0, 300)).toBeGreaterThanOrEqual(200)
          expect(status, text.slice(0, 300)).toBeLessThan(500)
          const parsed: unknown = JSON.parse(text)
          if (status === 200) expect(everyOpFailed(parsed), text.slice(0, 500)).toBe(true)
          else
            expect(parsed).toMatchObject({
              error: { code: expect.any(String), message: expect.any(String), retryable: false },
            })
        },
      ),
      { seed: SEED, numRuns: RUNS },
    )
    console.log('fuzz statuses:', Object.fromEntries(statuses))
    expect(statuses.get(200)).toBeGreaterThan(RUNS / 5)
    expect(statuses.get(400)).toBeGreaterThan(RUNS / 10)
    expect(await dumpDatabase(t.database.db)).toBe(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await send(`${t.server.url}/health`, { method: 'GET' })).status).toBe(200)
  }, 120_000)
})
