import { connectPokes } from '@atoma/connect'
import { connectErrorOf } from '@atoma/connect/protocol'
import { AtomaError } from '@atoma/runtime'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startConnectServer, type TestConnectServer } from './support/connectServer.js'

// The Subscribe stream against a real Connect server: what the sync orchestrator's poke lane needs.
let server: TestConnectServer
beforeAll(async () => {
  server = await startConnectServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const opened = () => vi.waitFor(() => expect(server.subscribers).toBe(1))

describe.each([
  ['the Connect protocol, JSON', { transport: 'connect', binary: false }],
  ['the Connect protocol, binary', { transport: 'connect', binary: true }],
  ['gRPC-Web, binary', { transport: 'grpc-web', binary: true }],
] as const)('connectPokes over %s', (_name, options) => {
  it('yields a poke per change of the stores asked for, and ends quietly when aborted', async () => {
    const controller = new AbortController()
    const pokes = connectPokes(
      { baseUrl: server.url, ...options, headers: () => ({ authorization: 'Bearer p' }) },
      { stores: ['todos'], signal: controller.signal },
    )
    const first = pokes.next()
    await opened()
    server.poke(['notes'])
    server.poke(['todos', 'notes'])
    expect(await first).toEqual({ done: false, value: { stores: ['todos'] } })
    const second = pokes.next()
    server.poke(['todos'])
    expect(await second).toEqual({ done: false, value: { stores: ['todos'] } })
    const third = pokes.next()
    controller.abort()
    expect(await third).toEqual({ done: true, value: undefined })
    await vi.waitFor(() => expect(server.subscribers).toBe(0))
    expect(server.calls.map((call) => [call.procedure, call.authorization])).toEqual([
      ['/atoma.v1.AtomaService/Subscribe', 'Bearer p'],
    ])
  })

  it('ends at the next message when the transport lets an abort pass', async () => {
    // A fetch deaf to the call's signal: only the test's own, at the end, reaches it.
    const deaf = new AbortController()
    const controller = new AbortController()
    const pokes = connectPokes(
      {
        baseUrl: server.url,
        ...options,
        fetch: (input, init) => fetch(input, { ...init, signal: deaf.signal }),
      },
      { signal: controller.signal },
    )
    const first = pokes.next()
    await opened()
    server.poke(['todos'])
    expect(await first).toEqual({ done: false, value: { stores: ['todos'] } })
    const second = pokes.next()
    controller.abort()
    server.poke(['todos'])
    expect(await second).toEqual({ done: true, value: undefined })
    deaf.abort()
    await vi.waitFor(() => expect(server.subscribers).toBe(0), { timeout: 10_000 })
  })

  it('a consumer that stops iterating ends the call', async () => {
    const pokes = connectPokes({ baseUrl: server.url, ...options })
    const first = pokes.next()
    await opened()
    server.poke(['todos'])
    await first
    await pokes.return(undefined)
    await vi.waitFor(() => expect(server.subscribers).toBe(0), { timeout: 10_000 })
  })

  it('a stream the server refuses throws the AtomaError it says', async () => {
    server.before = () => {
      throw connectErrorOf({ code: 'UNAUTHENTICATED', message: 'sign in first', retryable: false })
    }
    const error = await connectPokes({ baseUrl: server.url, ...options })
      .next()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false, message: 'sign in first' })
  })
})
