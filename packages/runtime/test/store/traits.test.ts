import { createRuntime, defineStore, type Trait } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

/**
 * The runtime's side of traits: it knows no trait kind (those are @atoma/logic's), it only runs a
 * trait's derive inside the store's own transactions and starts and disposes it with the runtime.
 */
interface Cart {
  items: number[]
  total: number
}
const sum: Trait = {
  kind: 'trait-computed',
  attach: () => ({
    derive(draft, base) {
      const cart = draft as Cart
      if (base === undefined || (base as Cart).items !== cart.items)
        cart.total = cart.items.reduce((a, b) => a + b, 0)
    },
  }),
}

describe('traits (the runtime hook)', () => {
  it('a derive runs in the transaction of the change: one commit, one notification, the field already right', () => {
    const cart = defineStore('cart', {
      initial: { items: [1, 2], total: 0 } as Cart,
      actions: {
        add: (d, n: number) => void d.items.push(n),
        replace: (_d, items: number[]) => ({ items, total: -1 }),
      },
      traits: { total: sum },
    })
    const runtime = createRuntime({ stores: [cart] })
    const handle = runtime.store(cart)
    expect(handle.getState().total).toBe(3)
    const listener = vi.fn()
    handle.subscribe(listener)
    const record = handle.actions.add(4)
    expect(handle.getState()).toEqual({ items: [1, 2, 4], total: 7 })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(runtime.history(cart)).toHaveLength(1)
    expect(record.patches).toEqual([
      { op: 'add', path: ['items', 2], value: 4 },
      { op: 'replace', path: ['total'], value: 7 },
    ])
    // A recipe that returns a whole new state is derived too.
    handle.actions.replace([10])
    expect(handle.getState()).toEqual({ items: [10], total: 10 })
  })

  it('attaches each trait once with the runtime’s trait graph, starts it with the runtime and disposes it with it', () => {
    const started = vi.fn()
    const disposed = vi.fn()
    const attach = vi.fn(() => ({ start: started, dispose: disposed }))
    const watched: Trait = { kind: 'trait-link', attach }
    const a = defineStore('a', { initial: { x: 0, y: 0 }, traits: { y: watched } })
    const runtime = createRuntime({ stores: [a] })
    expect(attach).toHaveBeenCalledWith({
      store: 'a',
      field: 'y',
      traits: [{ store: 'a', field: 'y', trait: watched }],
    })
    expect(started).toHaveBeenCalledTimes(1)
    expect(started.mock.calls[0]?.[0]).toMatchObject({ runtime })
    runtime.dispose()
    expect(disposed).toHaveBeenCalledTimes(1)
  })
})
