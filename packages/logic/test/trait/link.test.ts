import { computed, link } from '@atoma/logic'
import { type AtomaPlugin, createRuntime, defineStore, type EffectOp, type Middleware } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'
import { diagnostics, quietConsole, settle, uniqueLabel } from '../helpers.js'

const prefs = defineStore('prefs', {
  initial: { currency: 'EUR', rate: 2, theme: 'light' },
  actions: {
    setRate: (d, rate: number) => {
      d.rate = rate
    },
    setTheme: (d, theme: string) => {
      d.theme = theme
    },
  },
})

interface Invoice {
  hours: number
  rate: number
  amount: number
}

const invoice = defineStore<Invoice>()('invoice', {
  initial: { hours: 3, rate: 0, amount: 0 },
  actions: {
    setHours: (d, hours: number) => {
      d.hours = hours
    },
  },
  traits: {
    amount: computed(['hours', 'rate'], (s: Invoice) => s.hours * s.rate),
    rate: link(prefs, (s) => s.rate),
  },
})

describe('link', () => {
  it('brings the other store’s value in when the runtime starts, and computed fields follow in that commit', () => {
    const runtime = createRuntime({ stores: [prefs, invoice] })
    expect(runtime.store(invoice).getState()).toEqual({ hours: 3, rate: 2, amount: 6 })
    const [start] = runtime.history(invoice)
    expect(start?.origin).toEqual({ kind: 'sync', name: 'link from prefs' })
    expect(runtime.history(invoice)).toHaveLength(1)
  })

  it('propagates each change of the selection as one commit of its store; other changes propagate nothing', () => {
    const runtime = createRuntime({ stores: [prefs, invoice] })
    const listener = vi.fn()
    runtime.store(invoice).subscribe(listener)
    runtime.store(prefs).actions.setRate(5)
    expect(runtime.store(invoice).getState()).toEqual({ hours: 3, rate: 5, amount: 15 })
    expect(listener).toHaveBeenCalledTimes(1)
    runtime.store(prefs).actions.setTheme('dark')
    runtime.store(prefs).actions.setRate(5)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(runtime.history(invoice)).toHaveLength(2)
  })

  it('makes no start commit when the initial value already matches', () => {
    const matching = defineStore('matching', {
      initial: { rate: 2 },
      traits: { rate: link(prefs, (s) => s.rate) },
    })
    const runtime = createRuntime({ stores: [prefs, matching] })
    expect(runtime.history(matching)).toHaveLength(0)
  })

  it('each propagation is an EffectOp of kind trait-link', () => {
    const ops: EffectOp[] = []
    const spy: Middleware = (op, next) => {
      if (op.kind === 'trait-link') ops.push(op)
      return next(op)
    }
    const runtime = createRuntime({ stores: [prefs, invoice], middleware: [spy] })
    runtime.store(prefs).actions.setRate(4)
    expect(ops.map((op) => [op.name, op.payload, op.meta])).toEqual([
      ['invoice.rate', 2, { store: 'invoice', fieldPath: 'rate', deps: ['prefs'], resourceId: 'prefs' }],
      ['invoice.rate', 4, { store: 'invoice', fieldPath: 'rate', deps: ['prefs'], resourceId: 'prefs' }],
    ])
  })

  it('a selector that throws is reported and does not fail the commit of the store it follows', () => {
    quietConsole()
    const label = uniqueLabel('link-failure')
    const fragile = defineStore('fragile', {
      initial: { first: '' },
      traits: {
        first: link(prefs, (s) => {
          if (s.theme === 'broken') throw new Error('no theme')
          return s.theme[0] ?? ''
        }),
      },
    })
    const runtime = createRuntime({ stores: [prefs, fragile], devtools: { label } })
    expect(() => runtime.store(prefs).actions.setTheme('broken')).not.toThrow()
    expect(runtime.store(prefs).getState().theme).toBe('broken')
    expect(diagnostics(label)).toEqual(['logic::trait_failed'])
    runtime.store(prefs).actions.setTheme('dark')
    expect(runtime.store(fragile).getState().first).toBe('d')
  })

  it('follows again once the runtime is ready when a plugin’s start replaced the state (hydration)', async () => {
    const restore: AtomaPlugin = {
      name: 'restore',
      setup() {},
      async start(runtime) {
        await Promise.resolve()
        runtime.replaceState('invoice', { hours: 1, rate: 99, amount: 99 }, { kind: 'hydrate' })
      },
    }
    const runtime = createRuntime({ stores: [prefs, invoice], plugins: [restore] })
    await runtime.ready()
    await settle()
    expect(runtime.store(invoice).getState()).toEqual({ hours: 1, rate: 2, amount: 2 })
  })

  it('fails createRuntime clearly when the store it follows is not part of the runtime; stops on dispose', () => {
    expect(() => createRuntime({ stores: [invoice] })).toThrow(
      "link(prefs) into invoice.rate: store 'prefs' is not part of this runtime (stores: invoice)",
    )
    const runtime = createRuntime({ stores: [prefs, invoice] })
    runtime.dispose()
    runtime.store(prefs).actions.setRate(9)
    expect(runtime.store(invoice).getState().rate).toBe(2)
  })
})
