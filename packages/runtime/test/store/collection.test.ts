import { createRuntime, defineCollection, EntityMap, memoryBackend } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

interface Todo {
  id: string
  title: string
  done: boolean
  tags?: string[]
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

function seeded(n: number) {
  const runtime = createRuntime({ stores: [todos], plugins: [memoryBackend()] })
  runtime.transact(
    todos,
    (draft) => {
      for (let i = 0; i < n; i++) draft.set(`t${i}`, { id: `t${i}`, title: `todo ${i}`, done: false })
    },
    { kind: 'hydrate' },
  )
  return runtime
}

describe('collections', () => {
  it('state is an immutable ReadonlyMap, a new identity after each change', () => {
    const runtime = seeded(3)
    const handle = runtime.store(todos)
    const before = handle.getState()
    expect(before).toBeInstanceOf(EntityMap)
    expect(before.size).toBe(3)
    expect([...before.keys()]).toEqual(['t0', 't1', 't2'])
    expect(handle.get('t1')?.title).toBe('todo 1')
    runtime.transact(
      todos,
      (draft) => {
        draft.get('t1')!.done = true
      },
      { kind: 'action' },
    )
    const after = handle.getState()
    expect(after).not.toBe(before)
    expect(before.get('t1')?.done).toBe(false)
    expect(after.get('t1')?.done).toBe(true)
    // Untouched entities are shared, not copied.
    expect(after.get('t0')).toBe(before.get('t0'))
    expect(Object.isFrozen(after.get('t1'))).toBe(true)
  })

  it('records logical patches [id, ...field] and changedIds', () => {
    const runtime = seeded(2)
    const record = runtime.transact(
      todos,
      (draft) => {
        draft.get('t0')!.title = 'renamed'
        draft.set('t9', { id: 't9', title: 'new', done: false })
        draft.delete('t1')
      },
      { kind: 'action' },
    )
    expect(record.patches).toEqual([
      { op: 'replace', path: ['t0', 'title'], value: 'renamed' },
      { op: 'add', path: ['t9'], value: { id: 't9', title: 'new', done: false } },
      { op: 'remove', path: ['t1'] },
    ])
    expect(record.inversePatches).toEqual([
      { op: 'replace', path: ['t0', 'title'], value: 'todo 0' },
      { op: 'remove', path: ['t9'] },
      { op: 'add', path: ['t1'], value: { id: 't1', title: 'todo 1', done: false } },
    ])
    expect(record.changedIds).toEqual(['t0', 't9', 't1'])
  })

  it('patches replay: applying a record patches to `before` gives `after`, inverse gives back `before`', () => {
    const runtime = seeded(3)
    const record = runtime.transact(
      todos,
      (draft) => {
        draft.get('t2')!.tags = ['a']
        draft.delete('t0')
      },
      { kind: 'action' },
    )
    const replay = createRuntime({ stores: [todos], plugins: [memoryBackend()] })
    replay.transact(
      todos,
      (draft) => {
        for (const [id, item] of record.before as EntityMap<Todo>) draft.set(id, item)
      },
      { kind: 'hydrate' },
    )
    replay.applyPatches(todos, record.patches, { kind: 'sync' })
    expect([...replay.store(todos).getState()]).toEqual([...(record.after as EntityMap<Todo>)])
    replay.applyPatches(todos, record.inversePatches, { kind: 'sync' })
    expect([...replay.store(todos).getState()].map(([id]) => id).sort()).toEqual(['t0', 't1', 't2'])
    expect(replay.store(todos).get('t2')?.tags).toBeUndefined()
  })

  it('a draft iterates like a Map, with drafts for values', () => {
    const runtime = seeded(3)
    runtime.transact(
      todos,
      (draft) => {
        expect(draft.size).toBe(3)
        for (const todo of draft.values()) todo.done = true
        draft.delete('t1')
        expect(draft.size).toBe(2)
        expect(draft.has('t1')).toBe(false)
        expect([...draft.keys()]).toEqual(['t0', 't2'])
      },
      { kind: 'action' },
    )
    expect([...runtime.store(todos).getState().values()].every((t) => t.done)).toBe(true)
  })

  it('setting an identical value is not a change', () => {
    const runtime = seeded(1)
    const handle = runtime.store(todos)
    const listener = vi.fn()
    handle.subscribe(listener)
    const same = handle.get('t0')!
    const record = runtime.transact(todos, (draft) => void draft.set('t0', same), { kind: 'action' })
    expect(record.changedIds).toEqual([])
    expect(listener).not.toHaveBeenCalled()
  })

  it('notifies only the changed ids: 10,000 entity subscribers, one change, one entity call', () => {
    const n = 10_000
    const runtime = seeded(n)
    const handle = runtime.store(todos)
    const calls = new Array<number>(n).fill(0)
    for (let i = 0; i < n; i++) handle.subscribeEntity(`t${i}`, () => calls[i]!++)
    const wide = vi.fn()
    handle.select((s) => s.size, wide)
    const all = vi.fn()
    handle.subscribe(all)
    runtime.transact(
      todos,
      (draft) => {
        draft.get('t5000')!.done = true
      },
      { kind: 'action' },
    )
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1)
    expect(calls[5000]).toBe(1)
    expect(all).toHaveBeenCalledTimes(1)
    // The size selector ran but its slice did not change.
    expect(wide).not.toHaveBeenCalled()
    expect(runtime.listenerCount()).toBe(n + 2)
  })

  it('entity listeners see create, update and delete of their id only', () => {
    const runtime = seeded(1)
    const handle = runtime.store(todos)
    const seen: Array<[string | undefined, string | undefined]> = []
    const unsubscribe = handle.subscribeEntity('new', (entity, previous) =>
      seen.push([entity?.title, previous?.title]),
    )
    const other = vi.fn()
    handle.subscribeEntity('t0', other)
    runtime.transact(todos, (d) => void d.set('new', { id: 'new', title: 'a', done: false }), {
      kind: 'action',
    })
    runtime.transact(
      todos,
      (d) => {
        d.get('new')!.title = 'b'
      },
      { kind: 'action' },
    )
    runtime.transact(todos, (d) => void d.delete('new'), { kind: 'action' })
    expect(seen).toEqual([
      ['a', undefined],
      ['b', 'a'],
      [undefined, 'b'],
    ])
    expect(other).not.toHaveBeenCalled()
    unsubscribe()
    runtime.transact(todos, (d) => void d.set('new', { id: 'new', title: 'c', done: false }), {
      kind: 'action',
    })
    expect(seen).toHaveLength(3)
  })

  it('a batch delivers the union of changed ids once per entity', () => {
    const runtime = seeded(3)
    const handle = runtime.store(todos)
    const t0 = vi.fn()
    const t1 = vi.fn()
    const t2 = vi.fn()
    handle.subscribeEntity('t0', t0)
    handle.subscribeEntity('t1', t1)
    handle.subscribeEntity('t2', t2)
    runtime.batch(() => {
      runtime.transact(
        todos,
        (d) => {
          d.get('t0')!.done = true
        },
        { kind: 'action' },
      )
      runtime.transact(
        todos,
        (d) => {
          d.get('t1')!.done = true
        },
        { kind: 'action' },
      )
      runtime.transact(
        todos,
        (d) => {
          d.get('t0')!.title = 'x'
        },
        { kind: 'action' },
      )
    })
    expect(t0).toHaveBeenCalledTimes(1)
    expect(t1).toHaveBeenCalledTimes(1)
    expect(t2).not.toHaveBeenCalled()
  })

  it('reads ids through the key spec and refuses items without one', () => {
    const byFn = defineCollection<{ code: number; name: string }>('codes', { key: (item) => item.code })
    expect(byFn.keyOf({ code: 7, name: 'x' })).toBe(7)
    expect(() => todos.keyOf({ title: 'no id' } as Todo)).toThrowError(
      /collection 'todos': item has no valid id/,
    )
  })
})
