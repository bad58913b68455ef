import type { IncomingMessage } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/auth/principal.js'
import type { ServerOptions } from '../../src/server.js'
import { count, openPoke, type PokeClient } from '../support/pokeClient.js'
import { send } from '../support/send.js'
import { openTestDb, type TestDb } from '../support/testDb.js'
import { entry, startTestServer, type TestServer } from '../support/testServer.js'

const authenticate = (req: IncomingMessage): Principal | null => {
  const user = req.headers['x-user']
  return typeof user === 'string' ? { id: user } : null
}

// One database for the file; each test starts the server it needs on it.
let database: TestDb
beforeAll(async () => {
  database = await openTestDb()
})
afterAll(() => database.dispose())

const opened: PokeClient[] = []
const servers: TestServer[] = []
afterEach(async () => {
  for (const client of opened.splice(0)) client.close()
  for (const server of servers.splice(0)) await server.close()
})

async function server(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const started = await startTestServer({ authenticate, ...options }, database)
  servers.push(started)
  await started.reset()
  return started
}

async function poke(
  t: TestServer,
  user = 'alice',
  headers: Record<string, string> = {},
): Promise<PokeClient> {
  const client = await openPoke(`${t.server.url}/poke`, { 'x-user': user, ...headers })
  opened.push(client)
  return client
}

const write = (t: TestServer, ops: unknown[], user = 'alice') =>
  t.post({ ops }, { headers: { 'x-user': user } }).then(({ status }) => expect(status).toBe(200))
const create = (store: string, ...ids: string[]) => ({
  opId: `w-${store}`,
  kind: 'write',
  store,
  entries: ids.map((id) => entry('create', id, { value: {} })),
})

describe('GET /poke', () => {
  it('is an event stream: its headers at once, a first comment, then a poke naming the store of each change', async () => {
    const t = await server()
    const client = await poke(t)
    expect(client.status).toBe(200)
    expect(client.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(client.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(client.headers.get('x-accel-buffering')).toBe('no')
    expect(client.headers.get('content-encoding')).toBeNull()
    await client.until((text) => text === ': connected\n\n')

    await write(t, [create('todos', 'a')])
    await client.until((text) => text.includes('event: poke'))
    expect(client.text()).toBe(': connected\n\nevent: poke\ndata: {"stores":["todos"]}\n\n')
  })

  it('pokes at once after a quiet spell and coalesces what follows within the window into one poke', async () => {
    const t = await server({ poke: { coalesceMs: 5000 } })
    const client = await poke(t)
    await client.until((text) => text.includes(': connected'))
    // One request, five entries of two stores: the first commit pokes, the others land in its window.
    await write(t, [create('todos', 'a', 'b', 'c'), create('notes', 'x', 'y')])
    await client.until((text) => text.includes('event: poke'))
    expect(client.pokes()).toEqual([{ stores: ['todos'] }])
    await write(t, [create('notes', 'z')])
    await client.until((text) => count(text, 'event: poke') === 2)
    expect(client.pokes()).toEqual([{ stores: ['todos'] }, { stores: ['notes', 'todos'] }])
  })

  it('pokes nobody for a write that changed nothing: rejected entries and replays', async () => {
    const t = await server({ poke: { coalesceMs: 1 } })
    const client = await poke(t)
    await client.until((text) => text.includes(': connected'))
    const first = entry('create', 'a', { value: {} })
    await write(t, [{ opId: 'w', kind: 'write', store: 'todos', entries: [first] }])
    await client.until((text) => count(text, 'event: poke') === 1)
    await write(t, [
      { opId: 'w', kind: 'write', store: 'todos', entries: [{ ...first, entryId: 'again' }] },
      { opId: 'r', kind: 'write', store: 'notes', entries: [entry('update', 'missing', { value: {} })] },
    ])
    await write(t, [create('todos', 'b')])
    await client.until((text) => count(text, 'event: poke') === 2)
    expect(client.pokes()).toEqual([{ stores: ['todos'] }, { stores: ['todos'] }])
  })

  it('beats a heart while nothing changes', async () => {
    const t = await server({ poke: { heartbeatMs: 20 } })
    const client = await poke(t)
    await client.until((text) => count(text, ': ping\n\n') >= 2)
    expect(client.text().startsWith(': connected\n\n: ping\n\n')).toBe(true)
  })

  it('answers 429 past the streams allowed per principal and in all, and lets a closed one be replaced', async () => {
    const t = await server({ limits: { maxPokeStreamsPerPrincipal: 2, maxPokeStreams: 3 } })
    const [first] = [await poke(t), await poke(t)]
    const third = await poke(t)
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('5')
    await third.ended
    expect(JSON.parse(third.text())).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message:
          'too many poke streams: this principal has 2 poke streams open (limits.maxPokeStreamsPerPrincipal)',
        retryable: true,
        retryAfterMs: 5000,
      },
    })
    expect((await poke(t, 'bob')).status).toBe(200)
    const bobs = await poke(t, 'bob')
    expect(bobs.status).toBe(429)
    await bobs.ended
    expect(bobs.text()).toContain('the server has 3 poke streams open (limits.maxPokeStreams)')

    first?.close()
    let again: PokeClient | undefined
    // The server hears of the close when the socket does: try until it has.
    for (let attempt = 0; attempt < 200 && again?.status !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10))
      again = await poke(t)
    }
    expect(again?.status).toBe(200)
  })

  it('does not count a client that left while it was being authenticated', async () => {
    let left: () => void = () => {}
    const leaving = new Promise<void>((resolve) => {
      left = resolve
    })
    const t = await server({
      limits: { maxPokeStreamsPerPrincipal: 1 },
      // The first request is answered only once its client has gone.
      authenticate: (req) =>
        req.headers['x-wait']
          ? new Promise((resolve) => req.socket.once('close', () => resolve({ id: 'alice' })))
          : authenticate(req),
    })
    const gone = new AbortController()
    const attempt = fetch(`${t.server.url}/poke`, { headers: { 'x-wait': '1' }, signal: gone.signal }).catch(
      () => left(),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    gone.abort()
    await attempt
    await leaving
    const client = await poke(t)
    expect(client.status).toBe(200)
  })

  it('passes the doors of every request: a principal, GET only, the Host and the Origin', async () => {
    const t = await server()
    const anonymous = await openPoke(`${t.server.url}/poke`)
    opened.push(anonymous)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="atoma"')
    const post = await send(`${t.server.url}/poke`, { method: 'POST', headers: { 'x-user': 'alice' } })
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET')
    const rebinding = await send(`${t.server.url}/poke`, {
      method: 'GET',
      headers: { 'x-user': 'alice', host: `evil.example:${t.server.port}` },
    })
    expect(rebinding.status).toBe(421)
    expect((await poke(t, 'alice', { origin: 'https://evil.example' })).status).toBe(403)
  })

  it('carries the CORS headers to an allowed origin', async () => {
    const t = await server({ cors: { origins: ['https://app.example'] } })
    const client = await poke(t, 'alice', { origin: 'https://app.example' })
    expect(client.status).toBe(200)
    expect(client.headers.get('access-control-allow-origin')).toBe('https://app.example')
  })

  it('ends every stream when the server closes, and close() does not wait for them', async () => {
    const t = await startTestServer({ authenticate }, database)
    const clients = [await poke(t), await poke(t, 'bob'), await poke(t, 'carol')]
    await Promise.all(clients.map((client) => client.until((text) => text.includes(': connected'))))
    await t.close()
    await Promise.all(clients.map((client) => client.ended))
    await expect(fetch(`${t.server.url}/poke`)).rejects.toThrow()
  })
})
