import { createRuntime, defineCollection, defineStore, type EntityMap, memoryBackend } from '@atoma/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'

const counter = defineStore('counter', {
  initial: { n: 0 },
  actions: {
    inc: (draft) => {
      draft.n++
    },
  },
})
const items = defineCollection<{ id: number; label: string }>('items', { key: 'id' })

describe('history', () => {
  it('keeps the last historySize transactions, oldest first, with lookup by txnId', () => {
    const runtime = createRuntime({ stores: [counter], historySize: 3 })
    const store = runtime.store(counter)
    const records = Array.from({ length: 5 }, () => store.actions.inc())
    const history = runtime.history(counter)
    expect(history.map((r) => r.txnId)).toEqual(records.slice(2).map((r) => r.txnId))
    // The oldest two were evicted, so time travel to them is refused clearly.
    expect(() => runtime.applyTransactionSnapshot(records[0]!.txnId, 'before')).toThrowError(
      /transaction \d+ is not in any store's history/,
    )
  })

  it('snapshots share structure with live state', () => {
    const runtime = createRuntime({ stores: [items], plugins: [memoryBackend()] })
    runtime.transact(
      items,
      (d) => {
        for (let i = 0; i < 100; i++) d.set(i, { id: i, label: `#${i}` })
      },
      { kind: 'hydrate' },
    )
    const record = runtime.transact(
      items,
      (d) => {
        d.get(5)!.label = 'five'
      },
      { kind: 'action' },
    )
    const before = record.before as EntityMap<{ id: number; label: string }>
    const after = record.after as EntityMap<{ id: number; label: string }>
    expect(after).toBe(runtime.store(items).getState())
    expect(before.get(6)).toBe(after.get(6))
    expect(before.get(5)?.label).toBe('#5')
  })

  it('light instrumentation keeps no history, patches or snapshots', () => {
    const runtime = createRuntime({
      stores: [counter, items],
      plugins: [memoryBackend()],
      instrumentation: 'light',
    })
    const record = runtime.store(counter).actions.inc()
    expect(runtime.store(counter).getState().n).toBe(1)
    expect(record.patches).toEqual([])
    expect(record.inversePatches).toEqual([])
    expect(record.before).toBeUndefined()
    expect(record.after).toBeUndefined()
    expect(runtime.history(counter)).toEqual([])
    const collectionRecord = runtime.transact(items, (d) => void d.set(1, { id: 1, label: 'a' }), {
      kind: 'action',
    })
    expect(collectionRecord.patches).toEqual([])
    expect(collectionRecord.changedIds).toEqual([1])
    expect(runtime.history(items)).toEqual([])
  })

  it('a store can override the runtime instrumentation', () => {
    const lightCounter = defineStore('lightCounter', { initial: 0, instrumentation: 'light' })
    const runtime = createRuntime({ stores: [lightCounter, counter] })
    runtime.transact(lightCounter, (n) => n + 1, { kind: 'action' })
    runtime.store(counter).actions.inc()
    expect(runtime.store(lightCounter).getState()).toBe(1)
    expect(runtime.history(lightCounter)).toEqual([])
    expect(runtime.history(counter)).toHaveLength(1)
  })
})

describe('time travel', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('applyTransactionSnapshot commits the before/after snapshot as a devtools transaction', () => {
    const runtime = createRuntime({ stores: [counter] })
    const store = runtime.store(counter)
    store.actions.inc()
    const second = store.actions.inc()
    store.actions.inc()
    const listener = vi.fn()
    store.subscribe(listener)

    const jump = runtime.applyTransactionSnapshot(second.txnId, 'before')!
    expect(store.getState().n).toBe(1)
    expect(jump.origin.kind).toBe('devtools')
    expect(listener).toHaveBeenCalledTimes(1)
    runtime.applyTransactionSnapshot(second.txnId, 'after')
    expect(store.getState().n).toBe(2)
    expect(runtime.history(counter).at(-1)?.origin).toEqual({
      kind: 'devtools',
      name: `after #${second.txnId}`,
    })
  })

  it('jumping a collection notifies only entity listeners whose entity differs', () => {
    const runtime = createRuntime({ stores: [items], plugins: [memoryBackend()] })
    const handle = runtime.store(items)
    runtime.transact(
      items,
      (d) => {
        for (const i of [1, 2, 3]) d.set(i, { id: i, label: `${i}` })
      },
      {
        kind: 'hydrate',
      },
    )
    const edit = runtime.transact(
      items,
      (d) => {
        d.get(2)!.label = 'two'
      },
      { kind: 'action' },
    )
    const one = vi.fn()
    const two = vi.fn()
    handle.subscribeEntity(1, one)
    handle.subscribeEntity(2, two)
    runtime.applyTransactionSnapshot(edit.txnId, 'before')
    expect(handle.get(2)?.label).toBe('2')
    expect(two).toHaveBeenCalledTimes(1)
    expect(one).not.toHaveBeenCalled()
  })

  it('is a no-op in production without devtools', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const runtime = createRuntime({ stores: [counter], instrumentation: 'full' })
    const record = runtime.store(counter).actions.inc()
    expect(runtime.applyTransactionSnapshot(record.txnId, 'before')).toBeUndefined()
    expect(runtime.store(counter).getState().n).toBe(1)
  })

  it('production defaults to light instrumentation', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const runtime = createRuntime({ stores: [counter] })
    runtime.store(counter).actions.inc()
    expect(runtime.history(counter)).toEqual([])
  })
})
