import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ConnectBackendOptions, connectBackend } from '@atoma/connect'
import {
  ConfirmedSchema,
  connectErrorOf,
  EntryResultSchema,
  IdSchema,
  ItemSchema,
  QueryResponseSchema,
  WriteResponseSchema,
  WriteStatus,
} from '@atoma/connect/protocol'
import {
  AtomaError,
  type AtomaErrorCode,
  createRuntime,
  defineCollection,
  getDevtoolsSnapshot,
} from '@atoma/runtime'
import { create } from '@bufbuild/protobuf'
import { Code, ConnectError } from '@connectrpc/connect'
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { entry, isAbortLike } from '../../runtime/test/conformance/harness.js'
import { registeredNode } from '../../runtime/test/conformance/registeredNode.js'
import { startConnectServer, type TestConnectServer } from './support/connectServer.js'

/**
 * connectBackend against a real Connect server on loopback (connect-node in node:http, serving the
 * Atoma service over a memory backend), which each test may script: the protocols and encodings,
 * credentials, every Connect code, Atoma's error details, answers that must not be trusted,
 * aborts and devtools traces. (The shared conformance suite runs in connectBackend.conformance.)
 */
interface Todo {
  id: string
  title: string
  n?: number
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

let server: TestConnectServer
beforeAll(async () => {
  server = await startConnectServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const nodeWith = (options: Partial<ConnectBackendOptions> = {}, debug = false) =>
  registeredNode(connectBackend({ baseUrl: server.url, ...options }), { debug })
const runtimeWith = (options: Partial<ConnectBackendOptions> = {}) =>
  createRuntime({
    stores: [todos],
    plugins: [connectBackend({ baseUrl: server.url, ...options })],
    policy: 'direct-http',
  })
const live = () => new AbortController().signal

/** A scripted `Query` answer: the items as given, JSON text and all. */
const itemsAnswer =
  (...items: Array<{ id?: string; version?: bigint; value: string }>) =>
  () =>
    create(QueryResponseSchema, {
      items: items.map(({ id, version = 1n, value }) =>
        create(ItemSchema, {
          ...(id === undefined ? {} : { id: create(IdSchema, { kind: { case: 'text', value: id } }) }),
          version,
          value,
        }),
      ),
    })

describe('connectBackend: protocols and encodings', () => {
  it.each([
    ['the Connect protocol, JSON', { transport: 'connect', binary: false }, 'application/json'],
    ['the Connect protocol, binary', { transport: 'connect', binary: true }, 'application/proto'],
    ['gRPC-Web, JSON', { transport: 'grpc-web', binary: false }, 'application/grpc-web+json'],
    ['gRPC-Web, binary', { transport: 'grpc-web', binary: true }, 'application/grpc-web+proto'],
  ] as const)(
    'speaks %s: writes, patches and reads back, value for value',
    async (_name, options, contentType) => {
      const runtime = runtimeWith(options)
      const handle = runtime.store(todos)
      const created = await handle.write.create({ id: 'a', title: 'ünïcødé 😀', n: 0.1 })
      expect(created.status).toBe('confirmed')
      await handle.write.update('a', (draft) => {
        draft.n = 2 ** 53 + 2
      })
      const fresh = runtimeWith(options)
      const { items } = await fresh.store(todos).query({ where: { title: { startsWith: 'ünï' } } })
      expect(items).toEqual([{ id: 'a', title: 'ünïcødé 😀', n: 2 ** 53 + 2 }])
      expect(new Set(server.calls.map((call) => call.contentType))).toEqual(new Set([contentType]))
      expect(server.calls.map((call) => call.procedure)).toEqual([
        '/atoma.v1.AtomaService/Write',
        '/atoma.v1.AtomaService/Write',
        '/atoma.v1.AtomaService/Query',
      ])
    },
  )

  it('takes a Connect transport made elsewhere (here connect-node’s), which decides protocol and encoding', async () => {
    const transport = createConnectTransport({
      baseUrl: server.url,
      httpVersion: '1.1',
      useBinaryFormat: true,
    })
    const node = registeredNode(connectBackend({ baseUrl: 'http://unused.invalid', transport }))
    const result = await node.write({
      store: 'todos',
      entries: [entry('create', 'a', { value: { id: 'a', title: 't' } })],
      signal: live(),
    })
    expect(result.status).toBe('confirmed')
    expect(server.calls.map((call) => call.contentType)).toEqual(['application/proto'])
  })

  it('speaks gRPC over HTTP/2 through connect-node’s gRPC transport', async () => {
    const h2 = await startConnectServer({ http2: true })
    const sessions = new Http2SessionManager(h2.url)
    try {
      const transport = createGrpcTransport({ baseUrl: h2.url, sessionManager: sessions })
      const node = registeredNode(connectBackend({ baseUrl: h2.url, transport }))
      const e = entry('create', 1, { value: { id: 1, title: 'over gRPC' } })
      expect(await node.write({ store: 'todos', entries: [e], signal: live() })).toMatchObject({
        status: 'confirmed',
      })
      const { items, versions } = await node.query({ store: 'todos', query: {}, signal: live() })
      expect(items).toEqual([{ id: 1, title: 'over gRPC' }])
      expect(versions).toEqual(new Map([[1, 1]]))
      expect(new Set(h2.calls.map((call) => call.contentType))).toEqual(new Set(['application/grpc+proto']))
    } finally {
      sessions.abort()
      await h2.close()
    }
  })

  it('sends one call per op, each on its own (no envelope, no batch)', async () => {
    const node = nodeWith()
    await Promise.all([
      node.query({ store: 'todos', query: {}, signal: live() }),
      node.query({ store: 'notes', query: {}, signal: live() }),
    ])
    expect(server.calls.map((call) => call.procedure)).toEqual([
      '/atoma.v1.AtomaService/Query',
      '/atoma.v1.AtomaService/Query',
    ])
  })
})

describe('connectBackend: credentials', () => {
  it('asks a headers function for every call (a fresh token each time)', async () => {
    let token = 0
    const runtime = runtimeWith({ headers: async () => ({ authorization: `Bearer t${++token}` }) })
    await runtime.store(todos).query({})
    await runtime.store(todos).query({ where: { title: 'x' } })
    expect(server.calls.map((call) => call.authorization)).toEqual(['Bearer t1', 'Bearer t2'])
  })

  it('onUnauthenticated refreshes and the call is made once more with the new headers', async () => {
    let token = 'old'
    server.before = (_procedure, headers) => {
      if (headers.get('authorization') !== 'Bearer new')
        throw new ConnectError('expired', Code.Unauthenticated)
    }
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
    expect(result.items).toEqual([])
    expect(refreshed).toEqual(['UNAUTHENTICATED'])
    expect(server.calls.map((call) => call.authorization)).toEqual(['Bearer old', 'Bearer new'])
  })

  it('a refresh that does not help ends in UNAUTHENTICATED after one more call, the message kept', async () => {
    server.before = () => {
      throw new ConnectError('token expired', Code.Unauthenticated)
    }
    const error = await runtimeWith({ onUnauthenticated: () => true })
      .store(todos)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false, store: 'todos' })
    expect((error as Error).message).toContain('token expired')
    expect(server.calls).toHaveLength(2)
  })
})

describe('connectBackend: errors', () => {
  // Every Connect code, as a server or a proxy without Atoma's detail sends it (README's table).
  it.each<[keyof typeof Code, AtomaErrorCode, boolean]>([
    ['Canceled', 'ABORTED', false],
    ['Unknown', 'TRANSPORT', true],
    ['InvalidArgument', 'VALIDATION', false],
    ['DeadlineExceeded', 'TIMEOUT', true],
    ['NotFound', 'NOT_FOUND', false],
    ['AlreadyExists', 'CONFLICT', false],
    ['PermissionDenied', 'FORBIDDEN', false],
    ['ResourceExhausted', 'RATE_LIMITED', true],
    ['FailedPrecondition', 'CONFLICT', false],
    ['Aborted', 'CONFLICT', false],
    ['OutOfRange', 'VALIDATION', false],
    ['Unimplemented', 'TRANSPORT', false],
    ['Internal', 'TRANSPORT', true],
    ['Unavailable', 'TRANSPORT', true],
    ['DataLoss', 'TRANSPORT', false],
    ['Unauthenticated', 'UNAUTHENTICATED', false],
  ])('%s without a detail is %s (retryable: %s), naming the store', async (name, code, retryable) => {
    server.before = () => {
      throw new ConnectError('the server says no', Code[name])
    }
    for (const binary of [false, true]) {
      const error = await nodeWith({ binary })
        .query({ store: 'todos', query: {}, signal: live() })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AtomaError)
      expect(error).toMatchObject({ code, retryable, store: 'todos' })
      expect((error as Error).message).toMatch(/^store 'todos': .*the server says no/)
    }
  })

  it('with Atoma’s detail, the server’s error arrives whole: a CONFLICT with its current item and version', async () => {
    const current = { id: 'a', title: 'theirs', n: -1 }
    server.before = () => {
      throw connectErrorOf({
        code: 'CONFLICT',
        message: 'stale',
        retryable: false,
        current,
        currentVersion: 7,
      })
    }
    for (const transport of ['connect', 'grpc-web'] as const) {
      const error = await nodeWith({ transport, binary: true })
        .write({ store: 'todos', entries: [entry('update', 'a', { value: current })], signal: live() })
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'CONFLICT', retryable: false, current, currentVersion: 7 })
    }
  })

  it.each<[AtomaErrorCode, boolean, number | undefined]>([
    ['RATE_LIMITED', true, 250],
    ['RESPONSE_TOO_LARGE', false, undefined],
    ['UNKNOWN_STORE', false, undefined],
    ['FORBIDDEN', false, undefined],
  ])('with Atoma’s detail, %s keeps its code, retryable and wait', async (code, retryable, retryAfterMs) => {
    server.before = () => {
      throw connectErrorOf({
        code,
        message: 'detailed',
        retryable,
        ...(retryAfterMs ? { retryAfterMs } : {}),
      })
    }
    const error = await nodeWith()
      .query({ store: 'todos', query: {}, signal: live() })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code, retryable, retryAfterMs })
  })

  it('a rate limit is retried by the kernel after the server’s wait, then answered', async () => {
    let calls = 0
    server.before = () => {
      if (++calls === 1)
        throw connectErrorOf({ code: 'RATE_LIMITED', message: 'slow down', retryable: true, retryAfterMs: 0 })
    }
    const result = await runtimeWith().store(todos).query({})
    expect(result.meta.route.map((step) => `${step.outcome}:${step.error?.code ?? ''}`)).toEqual([
      'error:RATE_LIMITED',
      'ok:',
    ])
    expect(result.meta.route[0]?.error?.retryAfterMs).toBe(0)
  })

  it('no server at all is a retryable TRANSPORT failure', async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>((done) => closed.close(() => done()))
    const error = await registeredNode(connectBackend({ baseUrl: url }))
      .query({ store: 'todos', query: {}, signal: live() })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT', retryable: true, store: 'todos' })
  })

  it('a malformed query is the server’s VALIDATION, as over HTTP', async () => {
    const malformed = { where: { n: { between: [1, 2] } } } as never
    await expect(
      nodeWith().query({ store: 'todos', query: malformed, signal: live() }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      store: 'todos',
    })
  })
})

describe('connectBackend: answers are not trusted', () => {
  it.each([
    [
      'an own __proto__ key',
      '{"id":"a","title":"t","__proto__":{"polluted":true}}',
      /item 'a' refused: it has an own key '__proto__'/,
    ],
    ['a nested constructor key', '{"id":"a","title":"t","meta":{"constructor":{}}}', /item 'a' refused/],
    ['a value that is not an object', '42', /item 'a' refused: it is not an object/],
    ['a value that is not JSON', '{"id":', /item 'a' refused: it is not JSON/],
  ])('a query item with %s is refused, naming it, and nothing lands', async (_what, value, message) => {
    server.answer.query = itemsAnswer({ id: 'ok', value: '{"id":"ok","title":"fine"}' }, { id: 'a', value })
    const runtime = runtimeWith({ binary: true })
    const error = await runtime
      .store(todos)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT', retryable: false, store: 'todos' })
    expect((error as Error).message).toMatch(message)
    expect(runtime.store(todos).getState().size).toBe(0)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(server.calls).toHaveLength(1)
  })

  it.each([
    ['a version past 2^53', { id: 'a', version: 2n ** 60n, value: '{"id":"a"}' }],
    ['no id', { value: '{"id":"a"}' }],
  ])('a query item with %s is refused as lacking a usable id or version', async (_what, item) => {
    server.answer.query = itemsAnswer(item)
    await expect(nodeWith().query({ store: 'todos', query: {}, signal: live() })).rejects.toMatchObject({
      code: 'TRANSPORT',
      retryable: false,
      message: expect.stringMatching(/lacking a usable id or version/),
    })
  })

  it('a write answer without a status, or with an entry that has no outcome, is malformed', async () => {
    const node = nodeWith()
    const e = entry('create', 'a', { value: { id: 'a', title: 't' } })
    server.answer.write = () => create(WriteResponseSchema, { status: WriteStatus.UNSPECIFIED, items: [] })
    await expect(node.write({ store: 'todos', entries: [e], signal: live() })).rejects.toMatchObject({
      code: 'TRANSPORT',
      retryable: false,
      message: expect.stringMatching(/write without a status/),
    })
    server.answer.write = () =>
      create(WriteResponseSchema, {
        status: WriteStatus.CONFIRMED,
        items: [create(EntryResultSchema, { entryId: e.entryId })],
      })
    await expect(node.write({ store: 'todos', entries: [e], signal: live() })).rejects.toMatchObject({
      code: 'TRANSPORT',
      message: expect.stringMatching(new RegExp(`entry '${e.entryId}' with no outcome`)),
    })
  })

  it('a confirmation carrying an unsafe value rejects that entry and rolls it back; the write still resolves', async () => {
    server.answer.write = (request) =>
      create(WriteResponseSchema, {
        status: WriteStatus.CONFIRMED,
        items: request.entries.map((e) =>
          create(EntryResultSchema, {
            entryId: e.entryId,
            outcome: {
              case: 'confirmed',
              value: create(ConfirmedSchema, { id: e.id, version: 1n, value: '{"id":"a","__proto__":{}}' }),
            },
          }),
        ),
      })
    const handle = runtimeWith({ binary: true }).store(todos)
    const result = await handle.write.create({ id: 'a', title: 'mine' })
    expect(result.status).toBe('rejected')
    expect(result.failed[0]?.error).toMatchObject({ code: 'VALIDATION' })
    expect(result.failed[0]?.error?.message).toMatch(/__proto__/)
    expect(handle.get('a')).toBeUndefined()
    expect(handle.pendingCount()).toBe(0)
  })

  it('the kernel refuses results for entries that were not sent', async () => {
    server.answer.write = () =>
      create(WriteResponseSchema, {
        status: WriteStatus.CONFIRMED,
        items: [
          create(EntryResultSchema, {
            entryId: 'someone-else',
            outcome: { case: 'confirmed', value: create(ConfirmedSchema, { version: 1n }) },
          }),
        ],
      })
    const result = await runtimeWith().store(todos).write.create({ id: 'a', title: 'mine' })
    expect(result.status).toBe('rejected')
    expect(result.failed[0]?.error).toMatchObject({ code: 'TRANSPORT', retryable: false })
  })
})

describe('connectBackend: cursors', () => {
  it.each([false, true])(
    "pages by the server's cursor (binary: %s): the answer's cursor is meta.cursor, after reaches the server",
    async (binary) => {
      const runtime = runtimeWith({ binary })
      const handle = runtime.store(todos)
      await handle.write.create({ id: 'a', title: 'one' })
      await handle.write.create({ id: 'b', title: 'two' })
      await handle.write.create({ id: 'c', title: 'three' })
      const query = { orderBy: [['title', 'asc']], limit: 2 } as const
      const first = await handle.query(query)
      expect(first.items.map((todo) => todo.id)).toEqual(['a', 'c'])
      expect(first.meta.cursor).toEqual(expect.any(String))
      const second = await handle.query({ ...query, after: first.meta.cursor as string })
      expect(second.items.map((todo) => todo.id)).toEqual(['b'])
      expect(second.meta.cursor).toBeUndefined()
    },
  )

  it('a cursor this query cannot use is refused as a malformed answer, and nothing lands', async () => {
    server.answer.query = () =>
      create(QueryResponseSchema, {
        items: [
          create(ItemSchema, {
            id: create(IdSchema, { kind: { case: 'text', value: 'a' } }),
            version: 1n,
            value: '{"id":"a","title":"t"}',
          }),
        ],
        cursor: 'not a cursor',
      })
    const runtime = runtimeWith({ binary: true })
    const error = await runtime
      .store(todos)
      .query({ limit: 1 })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT', retryable: false, store: 'todos' })
    expect((error as Error).message).toMatch(/a query whose cursor does not decode as a cursor/)
    expect(runtime.store(todos).getState().size).toBe(0)
  })
})

describe('connectBackend: before anything is sent', () => {
  it('an aborted signal rejects with its reason and makes no call', async () => {
    const error = await nodeWith()
      .query({ store: 'todos', query: {}, signal: AbortSignal.abort() })
      .catch((e: unknown) => e)
    expect(error).toSatisfy(isAbortLike)
    expect(server.calls).toHaveLength(0)
  })

  it('an abort during the call rejects with the signal’s reason at once', async () => {
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let arrived: () => void = () => {}
    const called = new Promise<void>((resolve) => (arrived = resolve))
    server.before = async () => {
      arrived()
      await held
    }
    const controller = new AbortController()
    const pending = nodeWith().query({ store: 'todos', query: {}, signal: controller.signal })
    await called
    const reason = new AtomaError('ABORTED', 'the caller gave up')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    release()
  })

  it('a baseVersion that is not a version, and a value JSON cannot carry, fail as VALIDATION without a call', async () => {
    const node = nodeWith()
    await expect(
      node.write({ store: 'todos', entries: [entry('update', 'a', { baseVersion: 0.5 })], signal: live() }),
    ).rejects.toMatchObject({ code: 'VALIDATION', store: 'todos' })
    await expect(
      node.write({
        store: 'todos',
        entries: [entry('create', 'a', { value: { id: 'a', n: 1n } })],
        signal: live(),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(server.calls).toHaveLength(0)
  })
})

describe('connectBackend: traces for devtools', () => {
  it('with devtools on, each answer carries bounded previews of the request and the response', async () => {
    server.answer.query = itemsAnswer({
      id: 'a',
      value: JSON.stringify({ id: 'a', title: 'x'.repeat(5000) }),
    })
    const result = await nodeWith({}, true).query({
      store: 'todos',
      query: { where: { title: 'x' } },
      signal: live(),
    })
    expect(result.trace?.request).toContain('"store":"todos"')
    expect(result.trace?.response?.length).toBeLessThanOrEqual(2001)
    const runtime = createRuntime({
      stores: [todos],
      plugins: [connectBackend({ baseUrl: server.url })],
      policy: 'direct-http',
      devtools: true,
    })
    const { meta } = await runtime.store(todos).query({})
    expect(meta.route[0]?.trace?.request).toContain('"store":"todos"')
    expect(getDevtoolsSnapshot().instances.length).toBeGreaterThan(0)
  })

  it('a failed call’s trace says what the server answered', async () => {
    server.before = () => {
      throw new ConnectError('down for maintenance', Code.Unavailable)
    }
    const error = await nodeWith({}, true)
      .query({ store: 'todos', query: {}, signal: live() })
      .catch((e: unknown) => e)
    expect((error as { trace?: { response?: string } }).trace?.response).toMatch(/unavailable.*maintenance/)
  })

  it('without devtools, no trace is made', async () => {
    const result = await nodeWith().query({ store: 'todos', query: {}, signal: live() })
    expect(result.trace).toBeUndefined()
  })
})
