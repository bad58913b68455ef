import { createRuntime, defineStore, type EffectOp, type Middleware } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'

const counter = defineStore('counter', {
  initial: { n: 0 },
  actions: {
    add: (draft, by: number) => {
      draft.n += by
    },
  },
})

describe('the EffectOp bus in the runtime', () => {
  it('actions and commits are ops, through the stack given once at createRuntime, outermost first', () => {
    const seen: string[] = []
    const tag =
      (name: string): Middleware =>
      (op, next) => {
        seen.push(`${name}>${op.kind}:${op.name}`)
        const result = next(op)
        seen.push(`${name}<${op.kind}`)
        return result
      }
    const runtime = createRuntime({ stores: [counter], middleware: [tag('outer'), tag('inner')] })
    const record = runtime.store(counter).actions.add(2)
    // Synchronous all the way through: the action returns the commit's record, not a promise.
    expect(record.txnId).toBeTypeOf('number')
    expect(runtime.store(counter).getState().n).toBe(2)
    expect(seen).toEqual([
      'outer>action:counter/add',
      'inner>action:counter/add',
      'outer>state:counter/action:add',
      'inner>state:counter/action:add',
      'inner<state',
      'outer<state',
      'inner<action',
      'outer<action',
    ])
  })

  it('ops carry store, payload and txnId meta', () => {
    const ops: EffectOp[] = []
    const runtime = createRuntime({
      stores: [counter],
      middleware: [
        (op, next) => {
          ops.push(op)
          return next(op)
        },
      ],
    })
    const record = runtime.store(counter).actions.add(5)
    expect(ops[0]).toMatchObject({ kind: 'action', payload: 5, meta: { store: 'counter' } })
    expect(ops[1]).toMatchObject({ kind: 'state', meta: { store: 'counter', txnId: record.txnId } })
  })

  it('a middleware can veto an action: nothing is committed', () => {
    const runtime = createRuntime({
      stores: [counter],
      middleware: [
        (op, next) => {
          if (op.kind === 'action' && op.payload === 13) throw new Error('unlucky')
          return next(op)
        },
      ],
    })
    expect(() => runtime.store(counter).actions.add(13)).toThrow('unlucky')
    expect(runtime.store(counter).getState().n).toBe(0)
    expect(runtime.history(counter)).toEqual([])
  })
})
