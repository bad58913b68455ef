import type { IncomingMessage } from 'node:http'
import { connectPokes } from '@atoma/connect'
import { writeRequest } from '@atoma/connect/protocol'
import { AtomaError } from '@atoma/runtime'
import type { PokeEvent } from '@atoma/runtime/protocol'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PROTOCOLS, type Protocol, serviceClient } from '../support/connectClients.js'
import { openPoke } from '../support/pokeClient.js'
import { openTestDb, type TestDb } from '../support/testDb.js'
import { entry, startTestServer, type TestServer } from '../support/testServer.js'

/**
 * `Subscribe` on @atoma/server, read by connectPokes (what the sync orchestrator uses): the pokes
 * of `GET /poke`, under its limits (one count for both kinds of stream), its authentication and
 * its heartbeat, and a clean end when the server closes.
 */
const authenticate = (req: IncomingMessage) => {
  const id = /^Bearer ([a-z0-9-]+)$/.exec(req.headers.authorization ?? '')?.[1]
  return id === undefined ? null : { id }
}
const as = (id: string) => ({ authorization: `Bearer ${id}` })

let database: TestDb
let t: TestServer
beforeAll(async () => {
  database = await openTestDb()
  t = await startTestServer(
    { authenticate, limits: { maxPokeStreamsPerPrincipal: 1 }, poke: { heartbeatMs: 30 } },
    database,
  )
})
afterAll(async () => {
  await t.close()
  await database.dispose()
})

const writeVia = async (principal: string, store: string, id: string) => {
  const ops = [{ opId: 'w', kind: 'write', store, entries: [entry('create', id, { value: {} })] }]
  const { status } = await t.post({ ops }, { headers: as(principal) })
  expect(status).toBe(200)
}

/** connectPokes on `server`, with a promise of its opening. */
function subscribe(server: TestServer, protocol: Protocol, principal: string, stores?: string[]) {
  const controller = new AbortController()
  let opened = false
  let onOpen = () => {}
  const open = new Promise<void>((resolve) => {
    onOpen = () => {
      opened = true
      resolve()
    }
  })
  const pokes = connectPokes(
    {
      baseUrl: server.server.url,
      transport: protocol.transport,
      binary: protocol.binary,
      headers: as(principal),
    },
    { ...(stores ? { stores } : {}), signal: controller.signal, onOpen },
  )
  return { pokes, open, opened: () => opened, close: () => controller.abort() }
}

describe.each(PROTOCOLS)('Subscribe over $name', (protocol: Protocol) => {
  const user = (name: string) => `${name}-${protocol.transport}-${protocol.binary ? 'bin' : 'json'}`

  it('opens at once, then pokes after every write, through /ops or Connect, for the stores asked', async () => {
    const alice = user('alice')
    const stream = subscribe(t, protocol, alice, ['todos'])
    const first = stream.pokes.next()
    await stream.open
    await writeVia(alice, 'notes', `${alice}-n`)
    await writeVia(alice, 'todos', `${alice}-1`)
    // Heartbeats came meanwhile (every 30 ms): they are not pokes.
    expect(await first).toEqual({ done: false, value: { stores: ['todos'] } })
    const second = stream.pokes.next()
    await serviceClient(t.server.url, protocol).write(
      writeRequest('todos', [entry('create', `${alice}-2`, { value: {} })]),
      { headers: as(alice) },
    )
    expect(await second).toEqual({ done: false, value: { stores: ['todos'] } })
    const third = stream.pokes.next()
    stream.close()
    expect(await third).toEqual({ done: true, value: undefined })
  })

  it('sends a first message naming no store, then heartbeats', async () => {
    const bob = user('bob')
    const controller = new AbortController()
    const messages: string[][] = []
    for await (const message of serviceClient(t.server.url, protocol).subscribe(
      { stores: [] },
      { headers: as(bob), signal: controller.signal },
    )) {
      messages.push(message.stores)
      if (messages.length === 3) break
    }
    expect(messages).toEqual([[], [], []])
  })

  it("counts its streams with /poke's, against one limit per principal", async () => {
    const carol = user('carol')
    const sse = await openPoke(`${t.server.url}/poke`, as(carol))
    expect(sse.status).toBe(200)
    const refused = await subscribe(t, protocol, carol)
      .pokes.next()
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(AtomaError)
    expect(refused).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 5000,
      message:
        'too many poke streams: this principal has 1 poke streams open (limits.maxPokeStreamsPerPrincipal)',
    })
    sse.close()
    // The server hears of the close when the socket does: try until a stream opens.
    const stream = await vi.waitFor(
      async () => {
        const attempt = subscribe(t, protocol, carol)
        const next = attempt.pokes.next()
        await Promise.race([attempt.open, next])
        if (!attempt.opened()) throw await next.catch((error: unknown) => error)
        return { ...attempt, next }
      },
      { timeout: 10_000, interval: 20 },
    )
    const again = await openPoke(`${t.server.url}/poke`, as(carol))
    expect(again.status).toBe(429)
    stream.close()
    expect(await stream.next).toEqual({ done: true, value: undefined })
  })

  it('refuses a stream without credentials or for a store the server does not serve', async () => {
    const anonymous = subscribe(t, protocol, 'NOT VALID')
    await expect(anonymous.pokes.next()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', retryable: false })
    const unknown = subscribe(t, protocol, user('dave'), ['todos', 'nope'])
    await expect(unknown.pokes.next()).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'unknown store "nope"',
    })
    expect(anonymous.opened() || unknown.opened()).toBe(false)
  })
})

describe('Subscribe when the server closes', () => {
  it('ends every stream cleanly, and close() does not wait for them', async () => {
    const closing = await startTestServer({ authenticate }, database)
    const streams = PROTOCOLS.map((protocol, i) => subscribe(closing, protocol, `user-${i}`))
    const ends: Promise<IteratorResult<PokeEvent>>[] = streams.map((stream) => stream.pokes.next())
    await Promise.all(streams.map((stream) => stream.open))
    await closing.close()
    // An end of stream, not an error: the client reconnects (to the server's successor) as after any end.
    expect(await Promise.all(ends)).toEqual(streams.map(() => ({ done: true, value: undefined })))
  })
})
