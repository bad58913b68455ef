import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AtomaError } from '@atoma/runtime'
import { afterEach, describe, expect, it } from 'vitest'
import { backoff } from '../../src/backoff.js'
import { eventStreamPokes, pokeStream } from '../../src/poke/pokeStream.js'
import { createWire } from '../../src/wire.js'

/** A real SSE peer on loopback: each test writes the raw stream it wants the client to read. */
async function peer(onStream: (res: ServerResponse, n: number) => void) {
  let connections = 0
  const server = createServer((req, res) => {
    if (req.url !== '/poke') return res.writeHead(404).end()
    onStream(res, ++connections)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    close: () => new Promise<void>((done) => server.close(() => done())),
    connections: () => connections,
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        done()
      },
      { once: true },
    )
  })
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

let stop: (() => void) | undefined
let closePeer: (() => Promise<void>) | undefined
afterEach(async () => {
  stop?.()
  await closePeer?.()
})

describe('the poke stream', () => {
  it('parses events split across chunks, skips comments and other events, and reconnects after the stream ends', async () => {
    const p = await peer((res, n) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(': connected\n\n')
      res.write('event: po')
      res.write('ke\ndata: {"stores":["ta')
      res.write('sks"]}\n\nevent: other\ndata: x\n\n')
      if (n === 1) res.end()
    })
    closePeer = p.close
    const pokes: unknown[] = []
    const states: Array<[boolean, string | undefined]> = []
    const stream = pokeStream(
      eventStreamPokes(createWire({ baseUrl: p.url })),
      {
        poke: (stores) => pokes.push(stores),
        state: (connected, error) => states.push([connected, error?.code]),
      },
      backoff(5, 20),
      sleep,
    )
    stop = stream.stop
    stream.start()
    await until(() => pokes.length >= 2)
    expect(pokes.slice(0, 2)).toEqual([['tasks'], ['tasks']])
    expect(p.connections()).toBe(2)
    expect(states.slice(0, 3)).toEqual([
      [true, undefined],
      [false, undefined],
      [true, undefined],
    ])
  })

  it('a malformed poke is reported as TRANSPORT and still means "pull"', async () => {
    const p = await peer((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('event: poke\ndata: {not json\n\n')
    })
    closePeer = p.close
    const pokes: unknown[] = []
    const errors: AtomaError[] = []
    const stream = pokeStream(
      eventStreamPokes(createWire({ baseUrl: p.url })),
      { poke: (stores) => pokes.push(stores), state: (_c, error) => error && errors.push(error) },
      backoff(5, 20),
      sleep,
    )
    stop = stream.stop
    stream.start()
    await until(() => pokes.length === 1)
    expect(pokes).toEqual([undefined])
    expect(errors[0]).toMatchObject({ code: 'TRANSPORT', message: expect.stringContaining('malformed poke') })
  })

  it('an answer that is not an event stream, or a 401, is an error and a reconnect later', async () => {
    const p = await peer((res, n) =>
      n === 1
        ? res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
        : res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"error":{"message":"who are you"}}'),
    )
    closePeer = p.close
    const errors: string[] = []
    const stream = pokeStream(
      eventStreamPokes(createWire({ baseUrl: p.url })),
      { poke: () => {}, state: (_c, error) => error && errors.push(error.code) },
      backoff(5, 20),
      sleep,
    )
    stop = stream.stop
    stream.start()
    await until(() => errors.length >= 2)
    expect(errors.slice(0, 2)).toEqual(['TRANSPORT', 'UNAUTHENTICATED'])
  })
})

describe('the poke stream from another source', () => {
  /** A source the test drives: each connection is a queue of events the test pushes, or ends. */
  function source() {
    const connections: Array<{
      signal: AbortSignal
      onOpen: () => void
      push(event: unknown): void
      end(error?: Error): void
      /** Whether the lane let go of this stream (its iterator's `return`). */
      released: boolean
    }> = []
    const open = ({ signal, onOpen }: { signal: AbortSignal; onOpen: () => void }) => {
      const queue: Array<IteratorResult<unknown> | Error> = []
      let wake: (() => void) | undefined
      const put = (item: IteratorResult<unknown> | Error) => {
        queue.push(item)
        wake?.()
      }
      const connection = {
        signal,
        onOpen,
        push: (value: unknown) => put({ value, done: false }),
        end: (error?: Error) => put(error ?? { value: undefined, done: true }),
        released: false,
      }
      connections.push(connection)
      // Deaf to `signal`, as a transport that misses an abort is: it goes on yielding.
      return {
        [Symbol.asyncIterator]: () => ({
          async next(): Promise<IteratorResult<unknown>> {
            while (queue.length === 0) await new Promise<void>((resume) => (wake = resume))
            const item = queue.shift()!
            if (item instanceof Error) throw item
            return item
          },
          async return(): Promise<IteratorResult<unknown>> {
            connection.released = true
            return { value: undefined, done: true }
          },
        }),
      }
    }
    return { open, connections }
  }

  it('is connected from onOpen (or its first event), checks every event, and reconnects after an end or an error', async () => {
    const s = source()
    const pokes: unknown[] = []
    const states: Array<[boolean, string | undefined]> = []
    const stream = pokeStream(
      s.open,
      {
        poke: (stores) => pokes.push(stores),
        state: (connected, error) => states.push([connected, error?.code]),
      },
      backoff(5, 20),
      sleep,
    )
    stop = stream.stop
    stream.start()
    await until(() => s.connections.length === 1)
    expect(states).toEqual([])
    s.connections[0]!.onOpen()
    s.connections[0]!.onOpen()
    expect(states).toEqual([[true, undefined]])
    s.connections[0]!.push({ stores: ['tasks'] })
    s.connections[0]!.push({ stores: [1] })
    s.connections[0]!.push('not a poke')
    await until(() => pokes.length === 3)
    expect(pokes).toEqual([['tasks'], undefined, undefined])
    expect(states.slice(1)).toEqual([
      [true, 'TRANSPORT'],
      [true, 'TRANSPORT'],
    ])
    s.connections[0]!.end()
    await until(() => s.connections.length === 2)
    expect(states.at(-1)).toEqual([false, undefined])
    // This one never calls onOpen: its first event opens it.
    s.connections[1]!.push({ stores: ['notes'] })
    await until(() => pokes.length === 4)
    expect(pokes[3]).toEqual(['notes'])
    expect(states.at(-1)).toEqual([true, undefined])
    s.connections[1]!.end(new Error('reset by peer'))
    await until(() => s.connections.length === 3)
    expect(states.at(-1)).toEqual([false, 'TRANSPORT'])
    // Stopped, with a source that goes on: its next event is not dispatched, and the lane lets go.
    s.connections[2]!.onOpen()
    stream.stop()
    expect(s.connections[2]!.signal.aborted).toBe(true)
    s.connections[2]!.push({ stores: ['late'] })
    await until(() => s.connections[2]!.released)
    expect(pokes).not.toContainEqual(['late'])
    expect(s.connections).toHaveLength(3)
  })
})
