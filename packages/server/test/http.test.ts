import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, startServer } from '../src/server.js'
import { COLLECTIONS, entry, idsOf, opError, startTestServer, type TestServer } from './support/testServer.js'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer({
    limits: { maxBodyBytes: 4096, maxOpsPerRequest: 5 },
    basePath: '/api',
    healthDetail: true,
  })
})
afterAll(() => t.close())

async function get(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${t.server.url.replace(/\/api$/, '')}${path}`)
  return { status: response.status, body: await response.json(), headers: response.headers }
}

/** Sends a body in chunks without a content-length, as a streaming client would. */
function postChunked(chunks: string[]): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.server.url}/ops`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString()
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
      },
    )
    req.on('error', reject)
    for (const chunk of chunks) req.write(chunk)
    req.end()
  })
}

function expectHttpError(response: { status: number; body: unknown }, status: number, message: string): void {
  expect(response.status).toBe(status)
  expect(response.body).toMatchObject({ error: { code: expect.any(String), retryable: false } })
  expect((response.body as { error: { message: string } }).error.message).toContain(message)
}

describe('routes', () => {
  it('answers GET /health with details when asked to, at the root and under the base path', async () => {
    for (const path of ['/health', '/api/health']) {
      const { status, body } = await get(path)
      expect(status).toBe(200)
      expect(body).toMatchObject({ ok: true, database: t.database.db.kind, collections: ['todos', 'notes'] })
    }
  })

  it('serves the ops endpoint under the base path only', async () => {
    expect(t.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/)
    expect((await t.post({ ops: [] })).body).toEqual({ results: [] })
    const outside = await fetch(t.server.url.replace(/\/api$/, '/ops'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ops":[]}',
    })
    expect(outside.status).toBe(404)
    expect(await outside.json()).toMatchObject({ error: { code: 'NOT_FOUND', retryable: false } })
  })

  it('answers 405 with Allow for a wrong method and 415 for a body that is not JSON', async () => {
    const wrongMethod = await get('/api/ops')
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('POST')
    expectHttpError(
      await t.post('{"ops":[]}', { contentType: 'text/plain' }),
      415,
      'content-type: application/json',
    )
    expect((await t.post('{"ops":[]}', { contentType: 'application/json; charset=utf-8' })).status).toBe(200)
  })
})

describe('the envelope', () => {
  it('answers one result per op, in request order, each with its opId', async () => {
    await t.reset()
    const results = await t.ops([
      { opId: 'a', kind: 'write', store: 'todos', entries: [entry('create', 1, { value: { title: 'x' } })] },
      { opId: 'b', kind: 'query', store: 'nope', query: {} },
      { opId: 'c', kind: 'query', store: 'todos', query: {} },
      { opId: 'd', kind: 'delete', store: 'todos' },
    ])
    expect(results.map((result) => [result.opId, result.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
    ])
  })

  it('answers an unknown store with UNKNOWN_STORE naming it', async () => {
    const error = opError(await t.query('secrets', {}))
    expect(error).toEqual({ code: 'UNKNOWN_STORE', message: 'unknown store "secrets"', retryable: false })
    expect(opError(await t.write('__proto__', [])).code).toBe('UNKNOWN_STORE')
  })

  it.each([
    [{ opId: 'x', kind: 'query', store: 7, query: {} }, 'op.store must be a string'],
    [{ opId: 'x', kind: 'mutate', store: 'todos' }, 'op.kind must be "query" or "write"'],
    [{ opId: 'x', kind: 'query', store: 'todos', query: {}, entries: [] }, 'unknown property "entries"'],
    [{ opId: 'x', kind: 'write', store: 'todos' }, 'entries must be an array'],
    [{ opId: 'x', kind: 'query', store: 'todos' }, 'query must be an object'],
  ])('answers a malformed op %j with a per-op VALIDATION error', async (op, message) => {
    const [result] = await t.ops([op])
    expect(opError(result!)).toMatchObject({ code: 'VALIDATION', retryable: false })
    expect(opError(result!).message).toContain(message)
  })

  it.each([
    ['not json', 'is not valid JSON'],
    ['{"ops": [', 'is not valid JSON'],
    ['', 'is not valid JSON'],
    ['[]', 'must be a JSON object { ops: [...] }'],
    ['null', 'must be a JSON object'],
    ['{"ops": {}}', 'body.ops must be an array'],
    ['{"ops": [], "extra": 1}', 'unknown property "extra"'],
    ['{"ops": [1]}', 'ops[0] must be an object'],
    ['{"ops": [{"kind": "query"}]}', 'ops[0].opId must be a non-empty string'],
    ['{"ops": [{"opId": 5}]}', 'ops[0].opId must be a non-empty string'],
    [`{"ops": [{"opId": "${'x'.repeat(300)}"}]}`, 'at most 256 characters'],
    ['{"ops": [{},{},{},{},{},{}]}', 'too many ops in one request: 6 (at most 5)'],
  ])('answers 400 to an unusable envelope: %s', async (body, message) => {
    expectHttpError(await t.post(body), 400, message)
  })
})

describe('defensive limits', () => {
  it('answers 413 with a JSON error to a body over the limit', async () => {
    const response = await t.post({
      ops: [{ opId: 'x', kind: 'query', store: 'todos', query: { where: { title: 'y'.repeat(5000) } } }],
    })
    expectHttpError(response, 413, 'exceeds 4096 bytes')
  })

  it('answers 413 to a streamed body that grows over the limit', async () => {
    const response = await postChunked([
      '{"ops": [',
      ...Array.from({ length: 10 }, () => ' '.repeat(1000)),
      ']}',
    ])
    expectHttpError(response, 413, 'exceeds 4096 bytes')
  })

  it('reads a streamed body under the limit', async () => {
    const response = await postChunked(['{"op', 's": ', '[]}'])
    expect(response).toEqual({ status: 200, body: { results: [] } })
  })

  it('refuses invalid UTF-8 and nesting deeper than 64 levels', async () => {
    expectHttpError(await t.post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'not valid UTF-8')
    expectHttpError(await t.post(`${'['.repeat(65)}${']'.repeat(65)}`), 400, 'nested deeper than 64 levels')
    expectHttpError(await t.post('['.repeat(4000)), 400, 'nested deeper than 64 levels')
    // Brackets inside strings are not nesting.
    const brackets = {
      ops: [{ opId: 'x', kind: 'query', store: 'todos', query: { where: { title: '[['.repeat(100) } } }],
    }
    expect((await t.post(brackets)).status).toBe(200)
  })

  it('refuses __proto__ keys anywhere and pollutes nothing', async () => {
    const bodies = [
      '{"__proto__": {"polluted": true}, "ops": []}',
      '{"ops": [{"opId": "x", "kind": "query", "store": "todos", "query": {"where": {"__proto__": {"polluted": true}}}}]}',
      JSON.stringify({
        ops: [{ opId: 'x', kind: 'write', store: 'todos', entries: [entry('create', 9, { value: {} })] }],
      }).replace('"value":{}', '"value":{"__proto__":{"polluted":true}}'),
    ]
    for (const body of bodies) expectHttpError(await t.post(body), 400, 'forbidden key "__proto__"')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(idsOf(await t.query('todos', { where: { id: 9 } }))).toEqual([])
  })

  it('keeps serving after all of it', async () => {
    expect((await get('/health')).status).toBe(200)
    expect(idsOf(await t.query('todos', {}))).toEqual([1])
  })
})

describe('server options', () => {
  it('refuses invalid options before opening anything', async () => {
    await expect(createServer({ collections: [] })).rejects.toThrow('collections must be a non-empty array')
    await expect(createServer({ collections: COLLECTIONS, basePath: 'api' })).rejects.toThrow(
      'basePath must look like',
    )
    await expect(createServer({ collections: COLLECTIONS, limits: { maxBodyBytes: 0 } })).rejects.toThrow(
      'limits.maxBodyBytes must be a positive integer',
    )
    await expect(createServer({ collections: COLLECTIONS, port: 70_000 })).rejects.toThrow(
      'port must be an integer',
    )
  })

  it('reports a port already in use and closes what it opened', async () => {
    const taken = t.server.port
    await expect(startServer({ collections: COLLECTIONS, db: t.database.db, port: taken })).rejects.toThrow(
      'EADDRINUSE',
    )
    expect((await get('/health')).status).toBe(200)
  })
})

describe('a database that stops answering', () => {
  it('answers retryable errors, 503 on /health, and keeps running', async () => {
    const errors: unknown[] = []
    const server = await startServer({
      collections: COLLECTIONS,
      db: t.database.db,
      port: 0,
      onError: (e) => errors.push(e),
    })
    await t.database.db.close()
    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(503)
    expect(await health.json()).toMatchObject({ error: { code: 'TRANSPORT', retryable: true } })
    const response = await fetch(`${server.url}/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ops: [
          { opId: 'q', kind: 'query', store: 'todos', query: {} },
          { opId: 'w', kind: 'write', store: 'todos', entries: [entry('create', 2, { value: {} })] },
        ],
      }),
    })
    expect(response.status).toBe(200)
    const { results } = (await response.json()) as { results: unknown[] }
    expect(results).toMatchObject([
      { opId: 'q', ok: false, error: { code: 'TRANSPORT', retryable: true } },
      {
        opId: 'w',
        ok: true,
        status: 'rejected',
        items: [{ status: 'rejected', error: { code: 'TRANSPORT', retryable: true } }],
      },
    ])
    expect(errors.length).toBeGreaterThanOrEqual(3)
    await server.close()
  })
})
