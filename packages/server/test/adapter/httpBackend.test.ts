import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  AtomaError,
  createRuntime,
  defineCollection,
  httpBackend,
  type PolicyDefinition,
} from '@atoma/runtime'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { registeredNode } from '../../../runtime/test/conformance/registeredNode.js'
import { startTestServer, type TestServer } from '../support/testServer.js'

interface Todo {
  id: string
  title: string
  done?: boolean
  priority?: number
}
const todos = defineCollection<Todo>('todos', { key: 'id', policy: 'http-once' })
// No kernel retries unless a test asks: the adapter's own behaviour is what is under test.
const once: PolicyDefinition = {
  name: 'http-once',
  route: (_kind, nodes) => [...nodes],
  options: { retry: { attempts: 1 } },
}
const retrying: PolicyDefinition = {
  name: 'http-once',
  route: (_kind, nodes) => [...nodes],
  options: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } },
}

/** Counts the requests the adapter sends, passing each to the real fetch. */
function countingFetch() {
  const bodies: Array<{ ops: Array<{ kind: string }> }> = []
  const fetchImpl: typeof fetch = async (input, init) => {
    bodies.push(JSON.parse(String(init?.body)))
    return fetch(input, init)
  }
  return { fetchImpl, bodies }
}

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ chaos: {} })
})
afterAll(() => server.close())
beforeEach(() => server.reset())

describe('httpBackend against the reference server', () => {
  it("pages by the server's cursors: meta.cursor, then after, until the last page", async () => {
    const runtime = createRuntime({
      stores: [todos],
      plugins: [
        httpBackend({ baseUrl: server.server.url }),
        { name: 'policy', setup: (ctx) => ctx.policy.registerPolicy(once) },
      ],
    })
    const handle = runtime.store(todos)
    const priorities = [3, 1, 2, 1, 3, 2, 1]
    await Promise.all(
      priorities.map((priority, i) => handle.write.create({ id: `t${i}`, title: 'x', priority })),
    )
    const query = { orderBy: [['priority', 'desc']], limit: 3 } as const
    const results = []
    let after: string | undefined
    do {
      const result = await handle.query(after === undefined ? query : { ...query, after })
      results.push(result)
      after = result.meta.cursor
    } while (after !== undefined)
    const ids = (items: readonly Todo[]) => items.map((todo) => todo.id)
    expect(results.map((result) => ids(result.items))).toEqual([
      ['t0', 't4', 't2'],
      ['t5', 't1', 't3'],
      ['t6'],
    ])
    // Each page's view, bounded by the server's cursors, reads that page back from the store.
    for (const result of results) expect(ids(handle.evaluate(result.view))).toEqual(ids(result.items))
  })

  it('coalesces ops issued in the same tick into one request', async () => {
    const counted = countingFetch()
    const runtime = createRuntime({
      stores: [todos],
      plugins: [
        httpBackend({ baseUrl: server.server.url, fetch: counted.fetchImpl }),
        { name: 'policy', setup: (ctx) => ctx.policy.registerPolicy(once) },
      ],
    })
    const handle = runtime.store(todos)
    const writes = ['a', 'b', 'c', 'd', 'e'].map((id) => handle.write.create({ id, title: id }))
    const read = handle.query({ where: { title: { in: ['a', 'b'] } } })
    const results = await Promise.all(writes)
    await read
    expect(results.map((r) => r.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
    ])
    expect(counted.bodies).toHaveLength(1)
    expect(counted.bodies[0]?.ops.map((op) => op.kind)).toEqual([
      'write',
      'write',
      'write',
      'write',
      'write',
      'query',
    ])
    expect(results[0]?.items[0]?.version).toBe(1)
  })

  it('respects maxSize: a full batch leaves at once, the rest in the next request', async () => {
    const counted = countingFetch()
    const node = registeredNode(
      httpBackend({ baseUrl: server.server.url, fetch: counted.fetchImpl, batch: { maxSize: 2 } }),
    )
    const signal = new AbortController().signal
    await Promise.all([1, 2, 3].map(() => node.query({ store: 'todos', query: {}, signal })))
    expect(counted.bodies.map((b) => b.ops.length)).toEqual([2, 1])
  })

  it('a retry after a lost response reuses the idempotency key: applied once', async () => {
    let calls = 0
    // The first response is lost on the way back, after the server applied the write.
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (++calls === 1) {
        await response.text()
        throw new TypeError('socket hang up')
      }
      return response
    }
    const runtime = createRuntime({
      stores: [todos],
      plugins: [
        httpBackend({ baseUrl: server.server.url, fetch: lossy }),
        { name: 'policy', setup: (ctx) => ctx.policy.registerPolicy(retrying) },
      ],
    })
    const result = await runtime.store(todos).write.create({ id: 'once', title: 'only once' })
    expect(calls).toBe(2)
    expect(result.status).toBe('confirmed')
    expect(result.items[0]?.version).toBe(1)
    const [row] = await server.database.db.query(
      "SELECT version::text FROM atoma_items WHERE store = 'todos'",
    )
    expect(row?.version).toBe('1')
  })

  it('a stale write gets CONFLICT with the server current item, which heals the client', async () => {
    const make = () =>
      createRuntime({
        stores: [todos],
        plugins: [
          httpBackend({ baseUrl: server.server.url }),
          { name: 'p', setup: (ctx) => ctx.policy.registerPolicy(once) },
        ],
      })
    const alice = make()
    const bob = make()
    await alice.store(todos).write.create({ id: 't', title: 'v1' })
    await bob.store(todos).query({})
    await alice.store(todos).write.patch('t', { title: 'alice' })
    const stale = bob.store(todos).write.patch('t', { title: 'bob' })
    expect(bob.store(todos).get('t')?.title).toBe('bob')
    const result = await stale
    expect(result.status).toBe('rejected')
    expect(result.failed[0]?.error).toMatchObject({
      code: 'CONFLICT',
      current: { id: 't', title: 'alice' },
      currentVersion: 2,
    })
    // The server's item and version land on bob's base: he sees alice's title, and his next write
    // carries the right baseVersion instead of conflicting forever.
    expect(bob.store(todos).get('t')?.title).toBe('alice')
    const error = await stale.unwrap().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    const again = await bob.store(todos).write.patch('t', { title: 'bob, again' })
    expect(again.status).toBe('confirmed')
    expect((await alice.store(todos).query({})).items[0]).toMatchObject({ title: 'bob, again' })
  })

  it('an unknown store is a per-op error naming it', async () => {
    const node = registeredNode(httpBackend({ baseUrl: server.server.url }))
    await expect(
      node.query({ store: 'ghosts', query: {}, signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_STORE',
      message: expect.stringContaining('ghosts'),
    })
  })

  it('chaos failures reach the client as retryable TRANSPORT', async () => {
    server.server.setChaos({ failureRate: 1 })
    try {
      const node = registeredNode(httpBackend({ baseUrl: server.server.url }))
      await expect(
        node.query({ store: 'todos', query: {}, signal: new AbortController().signal }),
      ).rejects.toMatchObject({
        code: 'TRANSPORT',
        retryable: true,
      })
    } finally {
      server.server.setChaos({})
    }
  })
})

describe('httpBackend error mapping (a peer answering what the test says)', () => {
  let peer: Server
  let url = ''
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
  beforeAll(async () => {
    peer = createServer((req, res) => {
      req.resume()
      req.on('end', () => answer(req, res))
    })
    await new Promise<void>((done) => peer.listen(0, '127.0.0.1', done))
    url = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((done) => peer.close(() => done())))

  const query = () =>
    registeredNode(httpBackend({ baseUrl: url })).query({
      store: 'todos',
      query: {},
      signal: new AbortController().signal,
    })
  const respond = (status: number, body: string) => {
    answer = (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body)
  }

  it.each([
    [500, 'TRANSPORT', true],
    [503, 'TRANSPORT', true],
    [408, 'TIMEOUT', true],
    [400, 'VALIDATION', false],
    [422, 'VALIDATION', false],
    [413, 'VALIDATION', false],
    [409, 'CONFLICT', false],
    [401, 'UNAUTHENTICATED', false],
    [403, 'FORBIDDEN', false],
    [429, 'RATE_LIMITED', true],
    [404, 'TRANSPORT', false],
  ])('HTTP %i → %s (retryable %s), with the server message', async (status, code, retryable) => {
    respond(status, JSON.stringify({ error: { code: 'X', message: `because ${status}`, retryable } }))
    const error = await query().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toMatchObject({ code, retryable })
    expect((error as Error).message).toContain(`because ${status}`)
  })

  it.each([
    ['not JSON', '<html>Bad gateway</html>'],
    ['no results', '{"ok":true}'],
    ['too few results', '{"results":[]}'],
    ['a result for another op', '{"results":[{"opId":"nope","ok":true,"kind":"query","items":[]}]}'],
  ])('a malformed body (%s) is TRANSPORT with an excerpt, never a crash', async (_why, body) => {
    respond(200, body)
    const error = await query().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'TRANSPORT' })
    expect((error as Error).message).toContain(body.slice(0, 10))
  })

  it('a network failure is retryable TRANSPORT', async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((done) => closed.close(() => done()))
    const node = registeredNode(httpBackend({ baseUrl: `http://127.0.0.1:${port}` }))
    await expect(
      node.query({ store: 'todos', query: {}, signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      code: 'TRANSPORT',
      retryable: true,
    })
  })
})
