import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  AtomaError,
  createRuntime,
  defineCollection,
  encodeCursor,
  getDevtoolsSnapshot,
  httpBackend,
  type Query,
} from '@atoma/runtime'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/**
 * httpBackend against a real HTTP peer on loopback that answers whatever each test scripts: the
 * client side of authentication, rate limits and answers that must not be trusted. (The same
 * adapter against the real server is in @atoma/server's tests.)
 */
interface Todo {
  id: string
  title: string
  n?: number
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

type Answer = (
  body: { ops: Array<{ opId: string; kind: string; entries?: unknown[] }> },
  req: IncomingMessage,
  res: ServerResponse,
) => void
let peer: Server
let url: string
let answer: Answer
const requests: Array<{ authorization: string | undefined; body: string }> = []

beforeAll(async () => {
  peer = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      requests.push({ authorization: req.headers.authorization, body })
      answer(JSON.parse(body), req, res)
    })
  })
  await new Promise<void>((done) => peer.listen(0, '127.0.0.1', done))
  url = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((done) => peer.close(() => done())))
beforeEach(() => {
  requests.length = 0
})

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
const itemsOf =
  (...items: unknown[]): Answer =>
  (body, _req, res) =>
    json(res, 200, { results: body.ops.map((op) => ({ opId: op.opId, ok: true, kind: 'query', items })) })
const confirmAll =
  (value: (entry: { id: string; value?: unknown }) => unknown): Answer =>
  (body, _req, res) =>
    json(res, 200, {
      results: body.ops.map((op) => ({
        opId: op.opId,
        ok: true,
        kind: 'write',
        status: 'confirmed',
        items: (op.entries as Array<{ entryId: string; id: string; value?: unknown }>).map((e) => ({
          entryId: e.entryId,
          status: 'confirmed',
          id: e.id,
          version: 1,
          value: value(e),
        })),
      })),
    })
const runtimeWith = (options: Partial<Parameters<typeof httpBackend>[0]> = {}, devtools = false) =>
  createRuntime({
    stores: [todos],
    plugins: [httpBackend({ baseUrl: url, ...options })],
    policy: 'direct-http',
    devtools,
  })

describe('httpBackend: credentials', () => {
  it('asks a headers function for every request (a fresh token each time)', async () => {
    let token = 0
    answer = itemsOf()
    const runtime = runtimeWith({ headers: async () => ({ authorization: `Bearer t${++token}` }) })
    await runtime.store(todos).query({})
    await runtime.store(todos).query({ where: { title: 'x' } })
    expect(requests.map((r) => r.authorization)).toEqual(['Bearer t1', 'Bearer t2'])
  })

  it('a 401 is UNAUTHENTICATED, not retried, the server message kept', async () => {
    answer = (_body, _req, res) =>
      json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'token expired', retryable: false } })
    const error = await runtimeWith()
      .store(todos)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false })
    expect((error as Error).message).toContain('token expired')
    expect(requests).toHaveLength(1)
  })

  it('onUnauthenticated refreshes and the request is sent once more with the new headers', async () => {
    let token = 'old'
    answer = (body, req, res) =>
      req.headers.authorization === 'Bearer new'
        ? itemsOf({ id: 'v', version: 1, value: { id: 'v', title: 'visible' } })(body, req, res)
        : json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'expired', retryable: false } })
    const refreshed: string[] = []
    const runtime = runtimeWith({
      headers: () => ({ authorization: `Bearer ${token}` }),
      onUnauthenticated: (error) => {
        refreshed.push(error.code)
        token = 'new'
        return true
      },
    })
    const result = await runtime.store(todos).query({})
    expect(result.items).toEqual([{ id: 'v', title: 'visible' }])
    expect(refreshed).toEqual(['UNAUTHENTICATED'])
    expect(requests.map((r) => r.authorization)).toEqual(['Bearer old', 'Bearer new'])
  })

  it('a refresh that does not help ends in UNAUTHENTICATED after one more request', async () => {
    answer = (_body, _req, res) =>
      json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'no', retryable: false } })
    const error = await runtimeWith({ onUnauthenticated: () => true })
      .store(todos)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(requests).toHaveLength(2)
  })

  it('403 is FORBIDDEN and 429 is RATE_LIMITED with the server’s Retry-After', async () => {
    answer = (_body, _req, res) =>
      json(res, 403, { error: { code: 'FORBIDDEN', message: 'not yours', retryable: false } })
    await expect(runtimeWith().store(todos).query({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
      retryable: false,
    })
    let calls = 0
    answer = (body, req, res) =>
      ++calls === 1
        ? json(
            res,
            429,
            { error: { code: 'RATE_LIMITED', message: 'slow down', retryable: true } },
            { 'retry-after': '0' },
          )
        : itemsOf()(body, req, res)
    // Retried by the kernel after the server's wait, and then answered.
    const result = await runtimeWith().store(todos).query({})
    expect(result.meta.route.map((step) => `${step.outcome}:${step.error?.code ?? ''}`)).toEqual([
      'error:RATE_LIMITED',
      'ok:',
    ])
    expect(result.meta.route[0]?.error?.retryAfterMs).toBe(0)
  })
})

describe('httpBackend: answers are not trusted', () => {
  it('a malformed body is a TRANSPORT error that is not retried', async () => {
    answer = (_body, _req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":"nope"}')
    const error = await runtimeWith()
      .store(todos)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT', retryable: false })
    expect(requests).toHaveLength(1)
    answer = (body, _req, res) =>
      json(res, 200, { results: body.ops.map((op) => ({ opId: op.opId, ok: true, kind: 'query' })) })
    await expect(runtimeWith().store(todos).query({})).rejects.toMatchObject({
      code: 'TRANSPORT',
      retryable: false,
    })
    expect(requests).toHaveLength(2)
  })

  it.each([
    ['an own __proto__ key', '{"id":"a","title":"t","__proto__":{"polluted":true}}'],
    ['a nested constructor key', '{"id":"a","title":"t","meta":{"constructor":{}}}'],
    ['a value that is not an object', '42'],
  ])('a query item with %s is refused, naming it, and nothing lands', async (_what, value) => {
    answer = (body, _req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          `{"results":[{"opId":"${body.ops[0]?.opId}","ok":true,"kind":"query","items":[{"id":"ok","version":1,"value":{"id":"ok","title":"fine"}},{"id":"a","version":1,"value":${value}}]}]}`,
        )
    const runtime = runtimeWith()
    const error = await runtime
      .store(todos)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT', retryable: false })
    expect((error as Error).message).toMatch(/item 'a' refused/)
    expect(runtime.store(todos).getState().size).toBe(0)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a confirmation carrying an unsafe value rejects that entry and rolls it back; the write still resolves', async () => {
    answer = (body, _req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          `{"results":[{"opId":"${body.ops[0]?.opId}","ok":true,"kind":"write","status":"confirmed","items":[{"entryId":"${(body.ops[0]?.entries?.[0] as { entryId: string } | undefined)?.entryId}","status":"confirmed","id":"a","version":1,"value":{"id":"a","__proto__":{}}}]}]}`,
        )
    const runtime = runtimeWith()
    const handle = runtime.store(todos)
    const result = await handle.write.create({ id: 'a', title: 'mine' })
    expect(result.status).toBe('rejected')
    expect(result.failed[0]?.error).toMatchObject({ code: 'VALIDATION' })
    expect(result.failed[0]?.error?.message).toMatch(/__proto__/)
    expect(handle.get('a')).toBeUndefined()
    expect(handle.pendingCount()).toBe(0)
  })

  it.each([
    ['another id', (e: { id: string }) => ({ id: `${e.id}-other`, title: 'x' })],
    ['a number', () => 42],
    ['an array', () => [1]],
  ])(
    'the runtime refuses a confirmation whose value is %s: rejected, rolled back, never half-applied',
    async (_what, value) => {
      answer = confirmAll(value)
      const runtime = runtimeWith()
      const handle = runtime.store(todos)
      const result = await handle.write.create({ id: 'a', title: 'mine' })
      expect(result.status).toBe('rejected')
      expect(result.failed[0]?.error).toMatchObject({ code: 'VALIDATION', store: 'todos', id: 'a' })
      expect(handle.get('a')).toBeUndefined()
      expect(handle.get('a-other')).toBeUndefined()
      expect(handle.pendingCount()).toBe(0)
    },
  )

  it('a value with a non-finite number is refused before anything is sent', async () => {
    answer = confirmAll((e) => e.value)
    const result = await runtimeWith()
      .store(todos)
      .write.create({ id: 'a', title: 't', n: Number.POSITIVE_INFINITY })
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION' } })
    await expect(
      runtimeWith()
        .store(todos)
        .query({ where: { n: Number.POSITIVE_INFINITY } }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    expect(requests).toHaveLength(0)
  })
})

describe('httpBackend: cursors', () => {
  const page: Query<Todo> = { orderBy: [['title', 'asc']], limit: 1 }
  const a = { id: 'a', title: 'alpha' }
  const cursorAfter = (query: Query<Todo>, item: Todo, store = 'todos') =>
    encodeCursor(store, query, item, (todo) => todo.id, 'after')
  const withCursor =
    (cursor: unknown): Answer =>
    (body, _req, res) =>
      json(res, 200, {
        results: body.ops.map((op) => ({
          opId: op.opId,
          ok: true,
          kind: 'query',
          items: [{ id: 'a', version: 1, value: a }],
          cursor,
        })),
      })

  it("the answer's cursor is meta.cursor, and after/before travel in the query op", async () => {
    const cursor = cursorAfter(page, a)
    answer = withCursor(cursor)
    const runtime = runtimeWith()
    const first = await runtime.store(todos).query(page)
    expect(first.meta.cursor).toBe(cursor)
    answer = itemsOf()
    const second = await runtime.store(todos).query({ ...page, after: cursor, before: cursor })
    expect(second.meta.cursor).toBeUndefined()
    const sent = JSON.parse(requests[1]?.body ?? '{}') as { ops: Array<{ query: Query }> }
    expect(sent.ops[0]?.query).toEqual({ ...page, after: cursor, before: cursor })
  })

  it.each([
    ['a number', () => 42],
    ['a string that is not a cursor', () => 'not a cursor'],
    ['a string over the length limit', () => 'a'.repeat(8193)],
    ['a cursor of another orderBy', () => cursorAfter({ orderBy: [['title', 'desc']] }, a)],
    ['a cursor of another store', () => cursorAfter(page, a, 'notes')],
  ])('a cursor that is %s is refused as a malformed answer, and nothing lands', async (_what, cursor) => {
    answer = withCursor(cursor())
    const runtime = runtimeWith()
    const error = await runtime
      .store(todos)
      .query(page)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT', retryable: false, store: 'todos' })
    expect((error as Error).message).toMatch(/store 'todos': the server answered a query whose cursor/)
    expect(runtime.store(todos).getState().size).toBe(0)
    expect(requests).toHaveLength(1)
  })
})

describe('httpBackend: traces for devtools', () => {
  it('with devtools on, each route step carries the HTTP status and bounded previews', async () => {
    answer = itemsOf({ id: 'a', version: 1, value: { id: 'a', title: 'x'.repeat(5000) } })
    const result = await runtimeWith({}, true)
      .store(todos)
      .query({ where: { title: 'x' } })
    const trace = result.meta.route[0]?.trace
    expect(trace?.status).toBe(200)
    expect(trace?.request).toContain('"kind":"query"')
    expect(trace?.response?.length).toBeLessThanOrEqual(2001)
    expect(getDevtoolsSnapshot().instances.length).toBeGreaterThan(0)
  })

  it('without devtools, no trace is made', async () => {
    answer = itemsOf()
    const result = await runtimeWith().store(todos).query({})
    expect(result.meta.route[0]?.trace).toBeUndefined()
  })
})
