import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debugEvents } from '../../src/debug/events.js'
import {
  clearDevtoolsEvents,
  type DevtoolsInstanceHandle,
  getDevtoolsInstance,
  getDevtoolsSnapshot,
  registerDevtoolsInstance,
  resetDevtoolsHub,
  subscribeDevtoolsSnapshot,
} from '../../src/debug/hub.js'
import { hubState } from '../../src/debug/hubState.js'
import { devtoolsSnapshots } from '../../src/debug/snapshot.js'
import type { TxnRecord } from '../../src/txn/types.js'

beforeEach(() => {
  resetDevtoolsHub()
})
afterEach(() => {
  vi.restoreAllMocks()
})

function handle(label: string, states: Record<string, unknown> = {}): DevtoolsInstanceHandle {
  return {
    label,
    stores: () => Object.keys(states),
    getState: (store) => states[store],
    history: (): readonly TxnRecord[] => [],
    applyTransactionSnapshot: () => {},
  }
}

const names = () => getDevtoolsSnapshot().events.map((event) => event.name)

describe('DevtoolsHub', () => {
  it('lives on globalThis, so another copy of the module sees the same hub', async () => {
    const app = registerDevtoolsInstance(handle('app'))
    app.emit({ kind: 'lifecycle', name: 'from-first-copy' })

    vi.resetModules()
    const copy = await import('../../src/debug/hub.js')
    expect(copy.getDevtoolsSnapshot).not.toBe(getDevtoolsSnapshot)
    expect(copy.getDevtoolsSnapshot().instances.map((i) => i.label)).toEqual(['app'])
    const other = copy.registerDevtoolsInstance(handle('app'))
    other.emit({ kind: 'lifecycle', name: 'from-second-copy' })

    expect(other.label).toBe('app#2')
    expect(names()).toEqual(['from-first-copy', 'from-second-copy'])
    expect(Reflect.get(globalThis, Symbol.for('atoma.devtools.hub'))).toBe(hubState())
  })

  it('shows two runtimes as two instances with their stores and latest states', () => {
    vi.spyOn(Date, 'now').mockReturnValue(5)
    const filter = { filter: 'all' }
    registerDevtoolsInstance(handle('app', { ui: filter, todos: new Map() }))
    registerDevtoolsInstance(handle('admin', { users: [] }))
    const snapshot = getDevtoolsSnapshot()
    expect(snapshot.instances).toEqual([
      { label: 'app', stores: ['ui', 'todos'], registeredAt: 5 },
      { label: 'admin', stores: ['users'], registeredAt: 5 },
    ])
    expect(snapshot.latestStates.app?.ui).toBe(filter)
    expect(snapshot.latestStates.admin).toEqual({ users: [] })
  })

  it('numbers events monotonically across runtimes, so they interleave in order', () => {
    const app = registerDevtoolsInstance(handle('app'))
    const admin = registerDevtoolsInstance(handle('admin'))
    app.emit({ kind: 'state:update', name: 'a1' })
    admin.emit({ kind: 'state:update', name: 'b1' })
    app.emit({ kind: 'state:update', name: 'a2' })
    const events = getDevtoolsSnapshot().events
    expect(events.map((e) => [e.eventId, e.runtimeLabel, e.name])).toEqual([
      [1, 'app', 'a1'],
      [2, 'admin', 'b1'],
      [3, 'app', 'a2'],
    ])
  })

  it('keeps the newest bufferSize events, oldest first, as the ring wraps', () => {
    const app = registerDevtoolsInstance(handle('app'), { bufferSize: 3 })
    expect(getDevtoolsSnapshot().bufferSize).toBe(3)
    for (const name of ['e1', 'e2']) app.emit({ kind: 'diagnostic', name })
    expect(names()).toEqual(['e1', 'e2'])
    for (const name of ['e3', 'e4', 'e5']) app.emit({ kind: 'diagnostic', name })
    expect(names()).toEqual(['e3', 'e4', 'e5'])
    app.emit({ kind: 'diagnostic', name: 'e6' })
    expect(getDevtoolsSnapshot().events.map((e) => [e.eventId, e.name])).toEqual([
      [4, 'e4'],
      [5, 'e5'],
      [6, 'e6'],
    ])
  })

  it('uses the default size of 500 when nobody asks for another', () => {
    expect(getDevtoolsSnapshot().bufferSize).toBe(500)
    const app = registerDevtoolsInstance(handle('app'))
    for (let index = 0; index < 501; index++) app.emit({ kind: 'diagnostic', name: `e${index}` })
    expect(getDevtoolsSnapshot().bufferSize).toBe(500)
    expect(names()[0]).toBe('e1')
    expect(names()).toHaveLength(500)
  })

  it('grows the buffer to the largest size requested, keeping the events it has in order', () => {
    const app = registerDevtoolsInstance(handle('app'), { bufferSize: 3 })
    for (const name of ['e1', 'e2', 'e3', 'e4']) app.emit({ kind: 'diagnostic', name })
    registerDevtoolsInstance(handle('default'))
    expect(getDevtoolsSnapshot().bufferSize).toBe(500)
    registerDevtoolsInstance(handle('big'), { bufferSize: 800 })
    registerDevtoolsInstance(handle('small'), { bufferSize: 10 })
    expect(getDevtoolsSnapshot().bufferSize).toBe(800)
    app.emit({ kind: 'diagnostic', name: 'e5' })
    expect(names()).toEqual(['e2', 'e3', 'e4', 'e5'])
  })

  it('rejects a buffer size that is not a positive integer', () => {
    expect(() => registerDevtoolsInstance(handle('app'), { bufferSize: 0 })).toThrow(/bufferSize/)
    expect(() => registerDevtoolsInstance(handle('app'), { bufferSize: 2.5 })).toThrow(/bufferSize/)
    expect(getDevtoolsSnapshot().instances).toEqual([])
  })

  it('returns the same snapshot object until something changes', () => {
    const app = registerDevtoolsInstance(handle('app', { ui: 1 }))
    const first = getDevtoolsSnapshot()
    expect(getDevtoolsSnapshot()).toBe(first)

    app.emit({ kind: 'diagnostic' })
    const second = getDevtoolsSnapshot()
    expect(second).not.toBe(first)
    expect(second.version).toBeGreaterThan(first.version)
    expect(getDevtoolsSnapshot()).toBe(second)
    // Parts that did not change are shared, so a viewer can skip re-rendering them.
    expect(second.latestStates).toBe(first.latestStates)
    expect(second.instances).toBe(first.instances)
    expect(second.events).not.toBe(first.events)

    app.updateState('ui', 2)
    const third = getDevtoolsSnapshot()
    expect(third.events).toBe(second.events)
    expect(third.latestStates).not.toBe(second.latestStates)
    expect(third.latestStates.app?.ui).toBe(2)
  })

  it('builds no snapshot while emitting, even with a subscriber that does not read', () => {
    const build = vi.spyOn(devtoolsSnapshots, 'build')
    const listener = vi.fn()
    subscribeDevtoolsSnapshot(listener)
    const app = registerDevtoolsInstance(handle('app', { ui: 0 }))
    for (let index = 0; index < 100; index++) {
      app.emit({ kind: 'state:update', txnId: index })
      app.updateState('ui', index + 1)
    }
    expect(listener).toHaveBeenCalledTimes(201)
    expect(build).not.toHaveBeenCalled()

    getDevtoolsSnapshot()
    getDevtoolsSnapshot()
    expect(build).toHaveBeenCalledTimes(1)
  })

  it('calls subscribers synchronously after each change until they unsubscribe', () => {
    const versions: number[] = []
    const unsubscribe = subscribeDevtoolsSnapshot(() => versions.push(getDevtoolsSnapshot().version))
    const app = registerDevtoolsInstance(handle('app'))
    app.emit({ kind: 'diagnostic' })
    expect(versions).toHaveLength(2)
    expect(versions[1]).toBeGreaterThan(versions[0] ?? Number.POSITIVE_INFINITY)
    unsubscribe()
    app.emit({ kind: 'diagnostic' })
    expect(versions).toHaveLength(2)
  })

  it('clears events but keeps instances, states and the event numbering', () => {
    const app = registerDevtoolsInstance(handle('app', { ui: 'state' }))
    app.emit({ kind: 'diagnostic', name: 'old' })
    const listener = vi.fn()
    subscribeDevtoolsSnapshot(listener)
    clearDevtoolsEvents()
    expect(listener).toHaveBeenCalledTimes(1)
    const snapshot = getDevtoolsSnapshot()
    expect(snapshot.events).toEqual([])
    expect(snapshot.instances.map((i) => i.label)).toEqual(['app'])
    expect(snapshot.latestStates.app?.ui).toBe('state')
    app.emit({ kind: 'diagnostic', name: 'new' })
    expect(getDevtoolsSnapshot().events.map((e) => [e.eventId, e.name])).toEqual([[2, 'new']])
  })

  it('unregisters an instance, dropping its states, notifying, and ignoring it afterwards', () => {
    const app = registerDevtoolsInstance(handle('app', { ui: 1 }))
    app.emit({ kind: 'diagnostic', name: 'kept' })
    const listener = vi.fn()
    subscribeDevtoolsSnapshot(listener)
    app.unregister()
    expect(listener).toHaveBeenCalledTimes(1)

    const create = vi.spyOn(debugEvents, 'create')
    app.emit({ kind: 'diagnostic', name: 'after' })
    app.updateState('ui', 2)
    app.unregister()
    expect(create).not.toHaveBeenCalled()
    expect(listener).toHaveBeenCalledTimes(1)

    const snapshot = getDevtoolsSnapshot()
    expect(snapshot.instances).toEqual([])
    expect(snapshot.latestStates).toEqual({})
    expect(getDevtoolsInstance('app')).toBeUndefined()
    expect(names()).toEqual(['kept'])
  })

  it('gives a duplicate label a unique suffix and frees labels on unregister', () => {
    const first = registerDevtoolsInstance(handle('app'))
    const second = registerDevtoolsInstance(handle('app'))
    const third = registerDevtoolsInstance(handle('app'))
    expect([first.label, second.label, third.label]).toEqual(['app', 'app#2', 'app#3'])
    second.unregister()
    expect(registerDevtoolsInstance(handle('app')).label).toBe('app#2')
    expect(getDevtoolsSnapshot().instances.map((i) => i.label)).toEqual(['app', 'app#3', 'app#2'])
  })

  it('hands the panel the registered handle for time travel', () => {
    const registered = handle('app', { ui: 1 })
    const connection = registerDevtoolsInstance(registered)
    registerDevtoolsInstance(handle('app'))
    expect(getDevtoolsInstance(connection.label)).toBe(registered)
    expect(getDevtoolsInstance('app#2')).not.toBe(registered)
    expect(getDevtoolsInstance('nobody')).toBeUndefined()
  })

  it('adds a store first seen in updateState and skips updates that change nothing', () => {
    const app = registerDevtoolsInstance(handle('app', { ui: 1 }))
    app.updateState('late', 'x')
    expect(getDevtoolsSnapshot().instances[0]?.stores).toEqual(['ui', 'late'])
    const version = getDevtoolsSnapshot().version
    app.updateState('late', 'x')
    expect(getDevtoolsSnapshot().version).toBe(version)
  })

  it('keeps a store named __proto__ as a plain key of latestStates', () => {
    const app = registerDevtoolsInstance(handle('app'))
    app.updateState('__proto__', { hostile: true })
    const states = getDevtoolsSnapshot().latestStates.app
    expect(Object.getPrototypeOf(states)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(states, '__proto__')?.value).toEqual({ hostile: true })
  })

  it('isolates a throwing listener: emitters and other listeners go on, it is reported once', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const failure = new Error('listener broke')
    subscribeDevtoolsSnapshot(() => {
      throw failure
    })
    const healthy = vi.fn()
    subscribeDevtoolsSnapshot(healthy)
    const app = registerDevtoolsInstance(handle('app'))
    expect(() => app.emit({ kind: 'diagnostic' })).not.toThrow()
    app.emit({ kind: 'diagnostic' })
    expect(healthy).toHaveBeenCalledTimes(3)
    expect(error).toHaveBeenCalledTimes(1)
    expect(error.mock.calls[0]).toContain(failure)
    expect(getDevtoolsSnapshot().events).toHaveLength(2)
  })

  it('stores payloads and states it cannot serialize as raw references, without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const awkward = {
      cyclic,
      big: 10n ** 30n,
      fn: () => 1,
      map: new Map([[{ key: true }, new Set([1])]]),
      date: new Date(0),
      symbol: Symbol('s'),
      [Symbol('hidden')]: 1,
    }
    const app = registerDevtoolsInstance(handle('app', { odd: awkward }))
    expect(() => {
      app.emit({ kind: 'diagnostic', data: awkward })
      app.updateState('odd', cyclic)
      app.emit({ kind: 'state:update', data: Object.create(null) })
    }).not.toThrow()
    const snapshot = getDevtoolsSnapshot()
    expect(snapshot.events[0]?.data).toBe(awkward)
    expect(snapshot.latestStates.app?.odd).toBe(cyclic)
  })

  it('drops instances, events and listeners on reset, leaving old connections inert', () => {
    const listener = vi.fn()
    subscribeDevtoolsSnapshot(listener)
    const app = registerDevtoolsInstance(handle('app'), { bufferSize: 900 })
    app.emit({ kind: 'diagnostic' })
    resetDevtoolsHub()
    app.emit({ kind: 'diagnostic' })
    const snapshot = getDevtoolsSnapshot()
    expect(snapshot.instances).toEqual([])
    expect(snapshot.events).toEqual([])
    expect(snapshot.bufferSize).toBe(500)
    expect(listener).toHaveBeenCalledTimes(2)
  })
})
