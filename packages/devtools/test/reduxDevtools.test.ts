import { createRuntime, defineStore, type JsonValue, memoryBackend, type Runtime } from '@atoma/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectReduxDevtools } from '../src/redux/connectReduxDevtools.js'
import type {
  ReduxDevtoolsAction,
  ReduxDevtoolsConnection,
  ReduxDevtoolsExtension,
  ReduxDevtoolsMessage,
} from '../src/redux/extension.js'
import { testRuntime, todos, ui } from './helpers.js'

/** An object implementing the extension's documented connect/init/send/subscribe/unsubscribe API. */
function fakeExtension() {
  const log: {
    init: unknown[]
    sent: Array<{ action: ReduxDevtoolsAction; state: Record<string, JsonValue> }>
    errors: string[]
  } = { init: [], sent: [], errors: [] }
  const listeners = new Set<(message: ReduxDevtoolsMessage) => void>()
  const connect = vi.fn(
    (_options?: { name?: string }): ReduxDevtoolsConnection => ({
      init: (state) => log.init.push(state),
      send: (action, state) => log.sent.push({ action, state: state as Record<string, JsonValue> }),
      subscribe: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      unsubscribe: () => listeners.clear(),
      error: (message) => log.errors.push(message),
    }),
  )
  const extension: ReduxDevtoolsExtension = { connect }
  const dispatch = (payload: Record<string, unknown>) => {
    for (const listener of [...listeners]) listener({ type: 'DISPATCH', payload })
  }
  return { extension, connect, log, listeners, dispatch }
}

const prefs = defineStore('prefs', {
  initial: {
    theme: 'light',
    seen: new Map([['first', new Date('2024-05-01T10:00:00.000Z')]]),
    tags: new Set(['a']),
    big: 10n,
    missing: undefined as number | undefined,
  },
  actions: {
    setTheme: (draft, theme: string) => {
      draft.theme = theme
    },
  },
})

const owned: Runtime[] = []
/** A runtime without the cyclic value the shared test store holds, so its state can round-trip. */
function plainRuntime(label: string): Runtime {
  const runtime = createRuntime({ stores: [todos, prefs], plugins: [memoryBackend()], devtools: { label } })
  owned.push(runtime)
  return runtime
}

const settle = () => new Promise<void>((done) => queueMicrotask(done))

afterEach(() => {
  vi.unstubAllGlobals()
  for (const runtime of owned.splice(0)) runtime.dispose()
})

describe('connectReduxDevtools', () => {
  it('connects under the runtime’s label, sends the initial states, then one action per transaction', async () => {
    const runtime = testRuntime()
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    expect(fake.connect).toHaveBeenCalledWith({ name: runtime.label })
    expect(fake.log.init).toEqual([
      expect.objectContaining({ todos: { $type: 'Map', className: 'EntityMap', size: 0, entries: [] } }),
    ])

    runtime.store(ui).actions.setFilter('done')
    const record = runtime.transact(todos, (draft) => void draft.set(1, { id: 1, title: 'a', done: false }), {
      kind: 'action',
      name: 'add',
    })
    await settle()
    expect(fake.log.sent.map(({ action }) => action)).toEqual([
      {
        type: 'ui/action:setFilter',
        txnId: expect.any(Number),
        patches: [{ op: 'replace', path: ['filter'], value: 'done' }],
      },
      {
        type: 'todos/action:add',
        txnId: record.txnId,
        patches: [{ op: 'add', path: [1], value: { id: 1, title: 'a', done: false } }],
      },
    ])
    expect(fake.log.sent[0]?.state.ui).toMatchObject({ filter: 'done' })
    expect(fake.log.sent[0]?.state.todos).toMatchObject({ size: 0 })
    expect(fake.log.sent[1]?.state.todos).toMatchObject({ size: 1 })
    disconnect()
  })

  it('ignores other runtimes on the page', async () => {
    const runtime = testRuntime()
    const other = testRuntime()
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    other.store(ui).actions.inc()
    await settle()
    expect(fake.log.sent).toEqual([])
    disconnect()
  })

  it('maps JUMP_TO_ACTION and JUMP_TO_STATE to the panel’s time travel, store by store', async () => {
    const runtime = testRuntime()
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    const store = runtime.store(ui)
    store.actions.setFilter('open') // action 1
    runtime.transact(todos, (draft) => void draft.set(1, { id: 1, title: 'a', done: false }), {
      kind: 'action',
    }) // 2
    store.actions.inc() // action 3
    await settle()

    fake.dispatch({ type: 'JUMP_TO_ACTION', actionId: 1 })
    expect(store.getState()).toMatchObject({ filter: 'open', count: 0 })
    expect(runtime.store(todos).getState().size).toBe(0)
    fake.dispatch({ type: 'JUMP_TO_STATE', actionId: 0, index: 0 })
    expect(store.getState()).toMatchObject({ filter: 'all', count: 0 })
    fake.dispatch({ type: 'JUMP_TO_STATE', actionId: 3, index: 3 })
    expect(store.getState()).toMatchObject({ filter: 'open', count: 1 })
    expect(runtime.store(todos).getState().size).toBe(1)
    expect(runtime.history(ui).at(-1)?.origin.kind).toBe('devtools')

    await settle()
    // The jumps are the monitor's own: they are not sent back as actions.
    expect(fake.log.sent).toHaveLength(3)
    fake.dispatch({ type: 'JUMP_TO_ACTION', actionId: 9 })
    expect(fake.log.errors).toEqual(['cannot jump to action 9: it is not one this bridge sent'])
    disconnect()
  })

  it('jumps back to the latest action as live: the true state, with what the app committed meanwhile', async () => {
    const runtime = testRuntime({ serverSeed: [{ id: 1, title: 'a', done: false }] })
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    const list = runtime.store(todos)
    await list.query({})
    await list.write.patch(1, { title: 'b' })
    await settle()
    const renamed = fake.log.sent.findIndex((entry) => entry.action.type === 'todos/optimistic:patch') + 1
    fake.dispatch({ type: 'JUMP_TO_ACTION', actionId: renamed - 1 })
    expect(list.get(1)?.title).toBe('a')
    await list.write.create({ id: 2, title: 'while paused', done: false })
    await settle()
    fake.dispatch({ type: 'JUMP_TO_ACTION', actionId: fake.log.sent.length })
    expect([...list.getState().values()].map((todo) => todo.title)).toEqual(['b', 'while paused'])
    disconnect()
  })

  it('imports a state it can restore exactly through runtime.hydrate', async () => {
    const runtime = plainRuntime('import-ok')
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    runtime.store(prefs).actions.setTheme('dark')
    runtime.transact(todos, (draft) => void draft.set('x', { id: 9, title: 'b', done: true }), {
      kind: 'action',
    })
    await settle()
    const exported = fake.log.sent.at(-1)?.state
    runtime.store(prefs).actions.setTheme('light')
    runtime.transact(todos, (draft) => draft.clear(), { kind: 'action' })

    fake.dispatch({ type: 'IMPORT_STATE', nextLiftedState: { computedStates: [{ state: exported }] } })
    expect(fake.log.errors).toEqual([])
    expect(runtime.store(prefs).getState()).toEqual({
      theme: 'dark',
      seen: new Map([['first', new Date('2024-05-01T10:00:00.000Z')]]),
      tags: new Set(['a']),
      big: 10n,
      missing: undefined,
    })
    expect(runtime.store(todos).get('x')).toEqual({ id: 9, title: 'b', done: true })
    expect(runtime.history(todos).at(-1)?.origin.kind).toBe('hydrate')
    disconnect()
  })

  it('refuses, with a message, a state that was cut, holds a cycle or names an unknown store', async () => {
    const runtime = plainRuntime('import-refused')
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension, limits: { maxEntries: 2 } })
    runtime.transact(
      todos,
      (draft) => {
        for (let id = 0; id < 3; id++) draft.set(id, { id, title: `t${id}`, done: false })
      },
      { kind: 'action' },
    )
    await settle()
    const cut = fake.log.sent.at(-1)?.state
    const lifted = (state: unknown) => ({
      type: 'IMPORT_STATE',
      nextLiftedState: { computedStates: [{ state }] },
    })
    fake.dispatch(lifted(cut))
    fake.dispatch(lifted({ todos: { $type: 'Map', size: 1, entries: [[1, { $type: 'Cycle', path: [] }]] } }))
    fake.dispatch(lifted({ users: {} }))
    fake.dispatch({ type: 'IMPORT_STATE', nextLiftedState: {} })
    expect(fake.log.errors).toEqual([
      'import refused: todos: the Map was cut when it was serialized',
      'import refused: todos{0}: a Cycle value cannot be restored',
      "import refused: the imported state has a store 'users' this runtime does not have",
      'import refused: the imported data has no computed states',
    ])
    expect(runtime.store(todos).getState().size).toBe(3)
    disconnect()
  })

  it('refuses a store holding a cyclic value: it cannot be restored exactly', async () => {
    const runtime = testRuntime()
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    fake.dispatch({
      type: 'IMPORT_STATE',
      nextLiftedState: { computedStates: [{ state: fake.log.init[0] }] },
    })
    expect(fake.log.errors).toEqual(['import refused: ui.graph.self: a Cycle value cannot be restored'])
    disconnect()
  })

  it('disconnects: no more actions, and the monitor’s messages are no longer heard', async () => {
    const runtime = testRuntime()
    const fake = fakeExtension()
    const disconnect = connectReduxDevtools(runtime, { extension: fake.extension })
    disconnect()
    expect(fake.listeners.size).toBe(0)
    runtime.store(ui).actions.inc()
    await settle()
    expect(fake.log.sent).toEqual([])
  })

  it('uses window.__REDUX_DEVTOOLS_EXTENSION__, and does nothing without it', async () => {
    const runtime = testRuntime()
    expect(connectReduxDevtools(runtime)).toBeTypeOf('function')
    const fake = fakeExtension()
    vi.stubGlobal('__REDUX_DEVTOOLS_EXTENSION__', fake.extension)
    const disconnect = connectReduxDevtools(runtime, { name: 'my app' })
    expect(fake.connect).toHaveBeenCalledWith({ name: 'my app' })
    disconnect()
  })

  it('needs a runtime created with devtools on', () => {
    const runtime = createRuntime({ stores: [ui] })
    expect(() => connectReduxDevtools(runtime, { extension: fakeExtension().extension })).toThrow(
      "connectReduxDevtools: runtime 'atoma' is not in the devtools hub; create it with createRuntime({ devtools: true })",
    )
  })
})
