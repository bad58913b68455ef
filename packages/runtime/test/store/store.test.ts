import { createRuntime, defineStore } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

type Filter = 'all' | 'open' | 'done'
const ui = defineStore('ui', {
  initial: { filter: 'all' as Filter, tags: new Set<string>(), counts: new Map<string, number>() },
  actions: {
    setFilter: (draft, filter: Filter) => {
      draft.filter = filter
    },
    tag: (draft, tag: string) => {
      draft.tags.add(tag)
      draft.counts.set(tag, (draft.counts.get(tag) ?? 0) + 1)
    },
    reset: () => ({ filter: 'all' as Filter, tags: new Set<string>(), counts: new Map<string, number>() }),
  },
})

describe('stores', () => {
  it('starts from initial state and changes only through actions (one transaction each)', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    expect(store.getState().filter).toBe('all')
    const record = store.actions.setFilter('done')
    expect(store.getState().filter).toBe('done')
    expect(record.origin).toEqual({ kind: 'action', name: 'setFilter' })
    expect(record.patches).toEqual([{ op: 'replace', path: ['filter'], value: 'done' }])
    expect(record.inversePatches).toEqual([{ op: 'replace', path: ['filter'], value: 'all' }])
    expect(runtime.history(ui).map((r) => r.txnId)).toEqual([record.txnId])
  })

  it('drafts Map and Set state with patches', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    const before = store.getState()
    const record = store.dispatch('tag', 'x')
    expect(store.getState().tags.has('x')).toBe(true)
    expect(store.getState().counts.get('x')).toBe(1)
    expect(before.tags.has('x')).toBe(false)
    expect(record.patches.length).toBeGreaterThan(0)
    expect(Object.isFrozen(store.getState())).toBe(true)
  })

  it('lets an action return a whole new state', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    store.actions.setFilter('open')
    store.actions.reset()
    expect(store.getState().filter).toBe('all')
  })

  it('returns one handle per store and keeps state per runtime', () => {
    const a = createRuntime({ stores: [ui] })
    const b = createRuntime({ stores: [ui] })
    expect(a.store(ui)).toBe(a.store(ui))
    a.store(ui).actions.setFilter('done')
    expect(b.store(ui).getState().filter).toBe('all')
  })

  it('subscribe is called once per commit with new and previous state', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    const listener = vi.fn()
    const unsubscribe = store.subscribe(listener)
    const before = store.getState()
    store.actions.setFilter('open')
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener).toHaveBeenCalledWith(store.getState(), before)
    unsubscribe()
    store.actions.setFilter('done')
    expect(listener).toHaveBeenCalledTimes(1)
    expect(runtime.listenerCount()).toBe(0)
  })

  it('a commit that changes nothing notifies nobody', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    const listener = vi.fn()
    store.subscribe(listener)
    store.actions.setFilter('all')
    expect(listener).not.toHaveBeenCalled()
  })

  it('select calls its listener only when the slice changes under isEqual', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    const onFilter = vi.fn()
    const onTagCount = vi.fn()
    store.select((s) => s.filter, onFilter)
    store.select(
      (s) => ({ n: s.tags.size }),
      onTagCount,
      (a, b) => a.n === b.n,
    )
    store.actions.tag('a')
    expect(onFilter).not.toHaveBeenCalled()
    expect(onTagCount).toHaveBeenCalledTimes(1)
    expect(onTagCount).toHaveBeenCalledWith({ n: 1 }, { n: 0 })
    store.actions.setFilter('done')
    expect(onFilter).toHaveBeenCalledWith('done', 'all')
    expect(onTagCount).toHaveBeenCalledTimes(1)
  })

  it('batch folds several commits into one notification round', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    const listener = vi.fn()
    store.subscribe(listener)
    const first = store.getState()
    const result = runtime.batch(() => {
      store.actions.setFilter('open')
      store.actions.tag('t')
      runtime.batch(() => store.actions.setFilter('done'))
      expect(listener).not.toHaveBeenCalled()
      return 42
    })
    expect(result).toBe(42)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener).toHaveBeenCalledWith(store.getState(), first)
    expect(runtime.history(ui)).toHaveLength(3)
  })

  it('runtime.transact commits a recipe with any origin and returns its record', () => {
    const runtime = createRuntime({ stores: [ui] })
    const record = runtime.transact(
      ui,
      (draft) => {
        draft.filter = 'open'
      },
      { kind: 'sync', name: 'pull' },
    )
    expect(record.store).toBe('ui')
    expect(record.origin).toEqual({ kind: 'sync', name: 'pull' })
    expect(record.before).toMatchObject({ filter: 'all' })
    expect(record.after).toBe(runtime.store(ui).getState())
    expect(record.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('a listener that throws does not stop the others, and its error surfaces after the commit', () => {
    const runtime = createRuntime({ stores: [ui] })
    const store = runtime.store(ui)
    const second = vi.fn()
    store.subscribe(() => {
      throw new Error('listener bug')
    })
    store.subscribe(second)
    expect(() => store.actions.setFilter('done')).toThrow('listener bug')
    expect(second).toHaveBeenCalledTimes(1)
    expect(store.getState().filter).toBe('done')
  })
})

describe('applyPatches on a plain store', () => {
  it('a root replace patch sets the whole state, as one commit', () => {
    const prefs = defineStore('prefs', { initial: { theme: 'light', size: 1 } })
    const runtime = createRuntime({ stores: [prefs] })
    const record = runtime.applyPatches(
      prefs,
      [{ op: 'replace', path: [], value: { theme: 'dark', size: 2 } }],
      {
        kind: 'devtools',
      },
    )
    expect(runtime.store(prefs).getState()).toEqual({ theme: 'dark', size: 2 })
    expect(record.after).toEqual({ theme: 'dark', size: 2 })
  })
})
