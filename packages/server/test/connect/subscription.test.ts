import type { ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { Subscription } from '../../src/connect/subscription.js'

/** The part of a response a subscription looks at: whether a write waits, and destroy(). */
const response = (blocked = false) => {
  const res = {
    writableNeedDrain: blocked,
    destroyed: false,
    destroy() {
      res.destroyed = true
    },
  }
  return res
}

describe('a Subscribe stream as the poke hub sees it', () => {
  it('opens with a message naming no store, then merges what comes while it is not read', async () => {
    const subscription = new Subscription(
      new Set(['todos', 'notes']),
      response() as unknown as ServerResponse,
    )
    const messages = subscription.messages(new AbortController().signal)
    expect(await messages.next()).toEqual({ done: false, value: { stores: [] } })
    subscription.poke(['todos'])
    subscription.ping()
    subscription.poke(['tags'])
    subscription.poke(['notes', 'todos'])
    // One message for all of it: a poke also says the stream is alive, so the heartbeat is dropped.
    expect(await messages.next()).toEqual({ done: false, value: { stores: ['notes', 'todos'] } })
    const next = messages.next()
    subscription.poke(['tags'])
    subscription.ping()
    expect(await next).toEqual({ done: false, value: { stores: [] } })
  })

  it('hears every store when it asked for none', async () => {
    const subscription = new Subscription(new Set(), response() as unknown as ServerResponse)
    const messages = subscription.messages(new AbortController().signal)
    await messages.next()
    subscription.poke(['b', 'a'])
    expect(await messages.next()).toEqual({ done: false, value: { stores: ['a', 'b'] } })
  })

  it('ends when the server closes or the client goes, and cuts a response whose client stopped reading', async () => {
    const reading = response()
    const closed = new Subscription(new Set(), reading as unknown as ServerResponse)
    const ending = closed.messages(new AbortController().signal)
    await ending.next()
    const last = ending.next()
    closed.end()
    expect(await last).toEqual({ done: true, value: undefined })
    expect(reading.destroyed).toBe(false)

    const client = new AbortController()
    const gone = new Subscription(new Set(), response() as unknown as ServerResponse).messages(client.signal)
    await gone.next()
    const after = gone.next()
    client.abort()
    expect(await after).toEqual({ done: true, value: undefined })

    const stuck = response(true)
    new Subscription(new Set(), stuck as unknown as ServerResponse).end()
    expect(stuck.destroyed).toBe(true)
  })
})
