import {
  clearDevtoolsEvents,
  createRuntime,
  defineCollection,
  defineStore,
  getDevtoolsInstance,
  getDevtoolsSnapshot,
  memoryBackend,
  type RuntimeDebugEvent,
  safeStringify,
  subscribeDevtoolsSnapshot,
} from '@atoma/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debugEvents } from '../../src/debug/events.js'
import { resetDevtoolsHub } from '../../src/debug/hub.js'

const counter = defineStore('counter', {
  initial: { n: 0, meta: new Map<string, unknown>() },
  actions: {
    inc: (draft) => {
      draft.n++
    },
    weird: (draft) => {
      draft.meta.set('big', 10n)
    },
  },
})
const todos = defineCollection<{ id: string; title: string }>('todos', { key: 'id' })

const stateUpdates = (events: readonly RuntimeDebugEvent[]) => events.filter((e) => e.kind === 'state:update')

describe('devtools: the one switch', () => {
  beforeEach(() => resetDevtoolsHub())
  afterEach(() => vi.restoreAllMocks())

  it('off: no hub instance, and not a single debug event object is created', () => {
    const create = vi.spyOn(debugEvents, 'create')
    const runtime = createRuntime({ stores: [counter, todos], plugins: [memoryBackend()] })
    runtime.store(counter).actions.inc()
    runtime.transact(todos, (d) => void d.set('a', { id: 'a', title: 'x' }), { kind: 'action' })
    expect(create).not.toHaveBeenCalled()
    expect(getDevtoolsSnapshot().instances).toEqual([])
    expect(getDevtoolsSnapshot().events).toEqual([])
  })

  it('on: commits become state:update events with txnId, patchCount and origin, and latest states', () => {
    const runtime = createRuntime({ stores: [counter], devtools: { label: 'app' } })
    const record = runtime.store(counter).actions.inc()
    const snapshot = getDevtoolsSnapshot()
    expect(snapshot.instances.map((i) => i.label)).toEqual(['app'])
    const [update] = stateUpdates(snapshot.events)
    expect(update).toMatchObject({
      kind: 'state:update',
      runtimeLabel: 'app',
      store: 'counter',
      txnId: record.txnId,
      patchCount: 1,
      originKind: 'action',
      name: 'inc',
    })
    expect(snapshot.latestStates.app?.counter).toBe(runtime.store(counter).getState())
    // debugObserver is added automatically: the action and its commit are traced as EffectOps.
    const ops = snapshot.events.filter((e) => e.kind === 'effectop')
    expect(ops.map((e) => (e.data as { opKind: string }).opKind).sort()).toEqual(['action', 'state'])
    expect(ops.find((e) => (e.data as { opKind: string }).opKind === 'state')?.txnId).toBe(record.txnId)
    expect(ops.find((e) => (e.data as { opKind: string }).opKind === 'action')?.txnId).toBe(record.txnId)
    runtime.dispose()
    expect(getDevtoolsSnapshot().instances).toEqual([])
  })

  it('light instrumentation: events carry no patches or snapshots', () => {
    const runtime = createRuntime({ stores: [counter], devtools: true, instrumentation: 'light' })
    runtime.store(counter).actions.inc()
    const [update] = stateUpdates(getDevtoolsSnapshot().events)
    expect(update?.patchCount).toBe(0)
    const { record } = update!.data as { record: { patches: unknown[]; before: unknown; after: unknown } }
    expect(record.patches).toEqual([])
    expect(record.before).toBeUndefined()
    expect(record.after).toBeUndefined()
    expect(runtime.history(counter)).toEqual([])
  })

  it('event ids are monotonic and two runtimes show as two instances', () => {
    const a = createRuntime({ stores: [counter], devtools: { label: 'page' } })
    const b = createRuntime({ stores: [counter], devtools: { label: 'page' } })
    a.store(counter).actions.inc()
    b.store(counter).actions.inc()
    a.store(counter).actions.inc()
    const { events, instances } = getDevtoolsSnapshot()
    expect(instances.map((i) => i.label)).toEqual(['page', 'page#2'])
    expect(b.label).toBe('page#2')
    const ids = events.map((e) => e.eventId)
    expect(ids).toEqual([...ids].sort((x, y) => x - y))
    expect(stateUpdates(events).map((e) => e.runtimeLabel)).toEqual(['page', 'page#2', 'page'])
  })

  it('the ring buffer keeps the newest events and wraps', () => {
    const runtime = createRuntime({ stores: [counter], devtools: { bufferSize: 4 } })
    for (let i = 0; i < 5; i++) runtime.store(counter).actions.inc()
    const { events } = getDevtoolsSnapshot()
    expect(events).toHaveLength(4)
    expect(stateUpdates(events).at(-1)?.txnId).toBe(runtime.history(counter).at(-1)?.txnId)
    clearDevtoolsEvents()
    expect(getDevtoolsSnapshot().events).toEqual([])
  })

  it('notifies hub subscribers and stays stable between changes', () => {
    const runtime = createRuntime({ stores: [counter], devtools: true })
    const listener = vi.fn()
    const unsubscribe = subscribeDevtoolsSnapshot(listener)
    const before = getDevtoolsSnapshot()
    expect(getDevtoolsSnapshot()).toBe(before)
    runtime.store(counter).actions.inc()
    expect(listener).toHaveBeenCalled()
    expect(getDevtoolsSnapshot()).not.toBe(before)
    unsubscribe()
  })

  it('time travel through the hub instance handle, never any IO', async () => {
    const write = vi.fn()
    const runtime = createRuntime({
      stores: [counter, todos],
      devtools: { label: 'tt' },
      plugins: [
        memoryBackend(),
        {
          name: 'spy',
          setup: (ctx) => ctx.events.on('write:dispatched', write),
        },
      ],
    })
    const first = runtime.store(counter).actions.inc()
    runtime.store(counter).actions.inc()
    const handle = getDevtoolsInstance('tt')!
    expect(handle.stores()).toEqual(['counter', 'todos'])
    handle.applyTransactionSnapshot(first.txnId, 'before')
    expect(runtime.store(counter).getState().n).toBe(0)
    expect(handle.history('counter').at(-1)?.origin.kind).toBe('devtools')
    const created = runtime.store(todos).write.create({ id: 'x', title: 'x' })
    await created
    expect(write).toHaveBeenCalledTimes(1)
    const jump = runtime.history(todos).find((r) => r.txnId === created.txnId)!
    runtime.applyTransactionSnapshot(jump.txnId, 'before')
    expect(runtime.store(todos).get('x')).toBeUndefined()
    await new Promise((r) => setTimeout(r, 5))
    expect(write).toHaveBeenCalledTimes(1)
    expect(stateUpdates(getDevtoolsSnapshot().events).at(-1)?.originKind).toBe('devtools')
  })

  it('the hub never throws on state it cannot serialize (BigInt, Map, cycles, functions)', () => {
    const runtime = createRuntime({ stores: [counter], devtools: true })
    runtime.store(counter).actions.weird()
    const cyclic: Record<string, unknown> = { fn: () => 1, when: new Date(0), set: new Set([1n]) }
    cyclic.self = cyclic
    runtime.transact(
      counter,
      (d) => {
        d.meta.set('cyclic', cyclic)
      },
      { kind: 'sync', name: 'cyclic' },
    )
    expect(() => getDevtoolsSnapshot()).not.toThrow()
    expect(getDevtoolsSnapshot().latestStates.atoma?.counter).toBe(runtime.store(counter).getState())
    expect(safeStringify(getDevtoolsSnapshot())).toContain('Cycle')
  })
})
