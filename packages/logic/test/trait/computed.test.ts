import { computed } from '@atoma/logic'
import { createRuntime, defineStore, type EffectOp, type Middleware } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

interface Cart {
  items: { price: number; qty: number }[]
  discount: number
  subtotal: number
  total: number
  label: string
  note: string
}

const initial: Cart = {
  items: [{ price: 10, qty: 1 }],
  discount: 0,
  subtotal: 0,
  total: 0,
  label: '',
  note: '',
}

/** Declared out of dependency order on purpose: label ← total ← subtotal ← items. */
function cartStore(
  derives = { subtotal: vi.fn((s: Cart) => s.items.reduce((a, i) => a + i.price * i.qty, 0)) },
) {
  return defineStore<Cart>()('cart', {
    initial,
    actions: {
      add: (d, item: { price: number; qty: number }) => void d.items.push(item),
      setDiscount: (d, discount: number) => {
        d.discount = discount
      },
      setNote: (d, note: string) => {
        d.note = note
      },
      replace: (_d, items: Cart['items']) => ({ ...initial, items }),
    },
    traits: {
      label: computed(['total'], (s: Cart) => `total ${s.total}`),
      total: computed(['subtotal', 'discount'], (s: Cart) => s.subtotal - s.discount),
      subtotal: computed(['items'], derives.subtotal),
    },
  })
}

describe('computed', () => {
  it('is derived at creation, whatever order the fields were declared in', () => {
    const cart = cartStore()
    const runtime = createRuntime({ stores: [cart] })
    expect(runtime.store(cart).getState()).toMatchObject({ subtotal: 10, total: 10, label: 'total 10' })
  })

  it('recomputes in the transaction that changed a dep: one commit, one notification, the field already right', () => {
    const cart = cartStore()
    const runtime = createRuntime({ stores: [cart] })
    const handle = runtime.store(cart)
    const listener = vi.fn()
    handle.subscribe(listener)
    const record = handle.actions.add({ price: 5, qty: 2 })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener.mock.calls[0]?.[0]).toMatchObject({ subtotal: 20, total: 20, label: 'total 20' })
    expect(runtime.history(cart)).toHaveLength(1)
    expect(record.patches).toEqual([
      { op: 'add', path: ['items', 1], value: { price: 5, qty: 2 } },
      { op: 'replace', path: ['subtotal'], value: 20 },
      { op: 'replace', path: ['total'], value: 20 },
      { op: 'replace', path: ['label'], value: 'total 20' },
    ])
    handle.actions.setDiscount(3)
    expect(handle.getState()).toMatchObject({ subtotal: 20, total: 17, label: 'total 17' })
    // A recipe that returns a whole new state is derived too.
    handle.actions.replace([{ price: 1, qty: 1 }])
    expect(handle.getState()).toMatchObject({ subtotal: 1, total: 1, label: 'total 1' })
  })

  it('does not recompute when no dep changed', () => {
    const subtotal = vi.fn((s: Cart) => s.items.length)
    const cart = cartStore({ subtotal })
    const runtime = createRuntime({ stores: [cart] })
    expect(subtotal).toHaveBeenCalledTimes(1)
    runtime.store(cart).actions.setNote('hello')
    runtime.store(cart).actions.setDiscount(1)
    expect(subtotal).toHaveBeenCalledTimes(1)
    runtime.store(cart).actions.add({ price: 1, qty: 1 })
    expect(subtotal).toHaveBeenCalledTimes(2)
  })

  it('isEqual keeps the old value, so nothing that selects it is notified', () => {
    const tags = defineStore<{ words: string[]; sorted: string[] }>()('tags', {
      initial: { words: ['b', 'a'], sorted: [] },
      actions: {
        set: (d, words: string[]) => {
          d.words = words
        },
      },
      traits: {
        sorted: computed(['words'], (s: { words: string[] }) => [...s.words].sort(), {
          isEqual: (a, b) => a.length === b.length && a.every((w, i) => w === b[i]),
        }),
      },
    })
    const runtime = createRuntime({ stores: [tags] })
    const handle = runtime.store(tags)
    const before = handle.getState().sorted
    const listener = vi.fn()
    handle.select((s) => s.sorted, listener)
    handle.actions.set(['a', 'b'])
    expect(handle.getState().sorted).toBe(before)
    expect(listener).not.toHaveBeenCalled()
    handle.actions.set(['c'])
    expect(listener).toHaveBeenCalledWith(['c'], ['a', 'b'])
  })

  it('each recompute is an EffectOp of kind trait-computed with its field, deps and store', () => {
    const ops: EffectOp[] = []
    const spy: Middleware = (op, next) => {
      if (op.kind === 'trait-computed') ops.push(op)
      return next(op)
    }
    const cart = cartStore()
    const runtime = createRuntime({ stores: [cart], middleware: [spy] })
    runtime.store(cart).actions.setDiscount(2)
    expect(ops.map((op) => [op.name, op.meta])).toEqual([
      ['cart.total', { store: 'cart', fieldPath: 'total', deps: ['subtotal', 'discount'] }],
      ['cart.label', { store: 'cart', fieldPath: 'label', deps: ['total'] }],
    ])
  })

  it('refuses deps that are not fields of the store, and a derive that throws leaves the state unchanged', () => {
    const typo = defineStore('typo', {
      initial: { a: 1, b: 0 },
      // @ts-expect-error 'c' is not a field (the state type comes from the annotation)
      traits: { b: computed(['c'], (s: { a: number; b: number }) => s.a) },
    })
    expect(() => createRuntime({ stores: [typo] })).toThrow(
      "computed typo.b: 'c' is not a field of store 'typo' (fields: a, b)",
    )
    const fragile = defineStore('fragile', {
      initial: { n: 1, inverse: 1 },
      actions: {
        set: (d, n: number) => {
          d.n = n
        },
      },
      traits: {
        inverse: computed(['n'], (s: { n: number }) => {
          if (s.n === 0) throw new RangeError('division by zero')
          return 1 / s.n
        }),
      },
    })
    const runtime = createRuntime({ stores: [fragile] })
    expect(() => runtime.store(fragile).actions.set(0)).toThrow(
      expect.objectContaining({
        code: 'RECIPE_FAILED',
        message: 'computed fragile.inverse threw: division by zero (state unchanged)',
      }),
    )
    expect(runtime.store(fragile).getState()).toEqual({ n: 1, inverse: 1 })
  })

  it('checks arguments when it is declared', () => {
    expect(() => computed([], (s: { a: number }) => s.a)).toThrow('deps must be a non-empty array')
    // @ts-expect-error derive is required
    expect(() => computed(['a'])).toThrow('derive must be a function')
  })
})
