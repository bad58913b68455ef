import { computed, type SourceState, source, sourceIdle } from '@atoma/logic'
import {
  type AtomaPlugin,
  createRuntime,
  defineCollection,
  defineStore,
  type EffectOp,
  type Middleware,
  memoryBackend,
} from '@atoma/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { settle, sleep } from '../helpers.js'

interface User {
  id: string
  name: string
}

interface Task {
  assigneeId: string | null
  title: string
  assignee: SourceState<User>
  assigneeName: string
}

const initial: Task = { assigneeId: 'u1', title: '', assignee: sourceIdle, assigneeName: '' }
const actions = {
  assign: (d: Task, id: string | null) => {
    d.assigneeId = id
  },
  rename: (d: Task, title: string) => {
    d.title = title
  },
}

/** A profile service on fake time: each fetch takes 100 ms and stops when aborted. */
function profiles() {
  const calls: { key: string; signal: AbortSignal }[] = []
  async function fetchProfile(key: string, { signal }: { signal: AbortSignal }): Promise<User> {
    calls.push({ key, signal })
    await sleep(100, signal)
    if (key === 'missing') throw new Error(`no user ${key}`)
    return { id: key, name: `User ${key}` }
  }
  return { calls, fetchProfile }
}

describe('source from a query function', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function setup() {
    const { calls, fetchProfile } = profiles()
    const task = defineStore<Task>()('task', {
      initial,
      actions,
      traits: {
        assigneeName: computed(['assignee'], (s: Task) => s.assignee.data?.name ?? '—'),
        assignee: source(fetchProfile, (s: Task) => s.assigneeId),
      },
    })
    const runtime = createRuntime({ stores: [task] })
    return { runtime, task, calls, handle: runtime.store(task) }
  }

  it('is loading from the start, fetches once the runtime is ready, and lands the data (computed follows)', async () => {
    const { handle, calls } = setup()
    expect(handle.getState().assignee).toEqual({ status: 'loading', data: undefined, error: undefined })
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.map((c) => c.key)).toEqual(['u1'])
    await vi.advanceTimersByTimeAsync(100)
    expect(handle.getState()).toMatchObject({
      assignee: { status: 'success', data: { id: 'u1', name: 'User u1' }, error: undefined },
      assigneeName: 'User u1',
    })
  })

  it('a key change turns the field loading in the same commit, aborts the previous fetch and drops its answer', async () => {
    const { handle, calls, runtime, task } = setup()
    await vi.advanceTimersByTimeAsync(50)
    const listener = vi.fn()
    handle.subscribe(listener)
    handle.actions.assign('u2')
    expect(listener).toHaveBeenCalledTimes(1)
    expect(handle.getState()).toMatchObject({
      assigneeId: 'u2',
      assignee: { status: 'loading' },
      assigneeName: '—',
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.map((c) => [c.key, c.signal.aborted])).toEqual([
      ['u1', true],
      ['u2', false],
    ])
    await vi.advanceTimersByTimeAsync(100)
    expect(handle.getState().assignee.data).toEqual({ id: 'u2', name: 'User u2' })
    expect(runtime.history(task).map((t) => t.origin)).toEqual([
      { kind: 'action', name: 'assign' },
      { kind: 'query', name: 'source fetchProfile' },
    ])
  })

  it('changes that keep the key fetch nothing; keys compare by value', async () => {
    const { fetchProfile, calls } = profiles()
    const board = defineStore('board', {
      initial: { filter: { team: 'a', page: 1 }, other: 0, rows: sourceIdle as SourceState<User> },
      actions: {
        setFilter: (d, filter: { team: string; page: number }) => {
          d.filter = filter
        },
        bump: (d) => {
          d.other += 1
        },
      },
      traits: {
        rows: source(
          (key: [string, number], context: { signal: AbortSignal }) => fetchProfile(key.join('/'), context),
          (s: { filter: { team: string; page: number } }): [string, number] => [s.filter.team, s.filter.page],
        ),
      },
    })
    const runtime = createRuntime({ stores: [board] })
    await vi.advanceTimersByTimeAsync(100)
    runtime.store(board).actions.bump()
    runtime.store(board).actions.setFilter({ page: 1, team: 'a' })
    await vi.advanceTimersByTimeAsync(100)
    expect(calls).toHaveLength(1)
    runtime.store(board).actions.setFilter({ team: 'a', page: 2 })
    await vi.advanceTimersByTimeAsync(100)
    expect(calls.map((c) => c.key)).toEqual(['a/1', 'a/2'])
  })

  it('no key: idle, nothing fetched; a failing fetch lands as an error', async () => {
    const { handle, calls } = setup()
    handle.actions.assign(null)
    expect(handle.getState().assignee).toBe(sourceIdle)
    await vi.advanceTimersByTimeAsync(200)
    expect(calls).toHaveLength(0)
    handle.actions.assign('missing')
    await vi.advanceTimersByTimeAsync(100)
    expect(handle.getState().assignee).toEqual({
      status: 'error',
      data: undefined,
      error: { code: 'TRANSPORT', message: 'no user missing', retryable: true },
    })
  })

  it('each fetch is an EffectOp of kind trait-source with its field, resource and key', async () => {
    const { fetchProfile } = profiles()
    const ops: EffectOp[] = []
    const spy: Middleware = (op, next) => {
      if (op.kind === 'trait-source') ops.push(op)
      return next(op)
    }
    const task = defineStore<Task>()('task', {
      initial,
      actions,
      traits: { assignee: source(fetchProfile, (s: Task) => s.assigneeId) },
    })
    createRuntime({ stores: [task], middleware: [spy] })
    await vi.advanceTimersByTimeAsync(0)
    expect(ops.map((op) => [op.name, op.meta])).toEqual([
      ['task.assignee', { store: 'task', fieldPath: 'assignee', resourceId: 'fetchProfile', key: 'u1' }],
    ])
  })

  it('waits for the runtime to be ready, and dispose aborts the fetch in flight', async () => {
    let release = () => {}
    const slow: AtomaPlugin = {
      name: 'slow',
      setup() {},
      start: () =>
        new Promise<void>((resolve) => {
          release = resolve
        }),
    }
    const { calls, fetchProfile } = profiles()
    const task = defineStore<Task>()('task', {
      initial,
      actions,
      traits: { assignee: source(fetchProfile, (s: Task) => s.assigneeId) },
    })
    const runtime = createRuntime({ stores: [task], plugins: [slow] })
    await vi.advanceTimersByTimeAsync(50)
    expect(calls).toHaveLength(0)
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1)
    runtime.dispose()
    expect(calls[0]?.signal.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(100)
    expect(runtime.store(task).getState().assignee.status).toBe('loading')
  })
})

describe('source from a collection', () => {
  const users = defineCollection<User>('users', { key: 'id' })

  it('reads the entity through the kernel (it lands in the collection) and follows its later changes', async () => {
    const backend = memoryBackend({
      seed: {
        users: [
          { id: 'u1', name: 'Ada' },
          { id: 'u2', name: 'Grace' },
        ],
      },
    })
    const task = defineStore<Task>()('task', {
      initial,
      actions,
      traits: { assignee: source(users, (s: Task) => s.assigneeId) },
    })
    const runtime = createRuntime({ stores: [users, task], plugins: [backend] })
    const handle = runtime.store(task)
    await vi.waitFor(() => expect(handle.getState().assignee.status).toBe('success'))
    expect(handle.getState().assignee.data).toEqual({ id: 'u1', name: 'Ada' })
    expect(runtime.store(users).get('u1')).toEqual({ id: 'u1', name: 'Ada' })
    // An optimistic write to the entity shows in the field at once.
    runtime.store(users).write.patch('u1', { name: 'Ada L.' })
    expect(handle.getState().assignee.data).toEqual({ id: 'u1', name: 'Ada L.' })
    handle.actions.assign('u2')
    await vi.waitFor(() => expect(handle.getState().assignee.data).toEqual({ id: 'u2', name: 'Grace' }))
    // The previous entity is no longer followed.
    await runtime.store(users).write.patch('u1', { name: 'Ada Lovelace' })
    expect(handle.getState().assignee.data).toEqual({ id: 'u2', name: 'Grace' })
    runtime.dispose()
  })

  it('an id the backend does not have is a success without data; a query error is an error', async () => {
    const task = defineStore<Task>()('task', {
      initial: { ...initial, assigneeId: 'nobody' },
      actions,
      traits: { assignee: source(users, (s: Task) => s.assigneeId) },
    })
    const runtime = createRuntime({ stores: [users, task], plugins: [memoryBackend()] })
    await vi.waitFor(() => expect(runtime.store(task).getState().assignee.status).toBe('success'))
    expect(runtime.store(task).getState().assignee.data).toBeUndefined()
    const failing: AtomaPlugin = {
      name: 'failing',
      setup(ctx) {
        ctx.execution.registerNode({
          id: 'failing',
          source: 'local',
          query: async () => {
            throw new Error('disk on fire')
          },
          write: async () => {
            throw new Error('disk on fire')
          },
        })
      },
    }
    const broken = createRuntime({ stores: [users, task], plugins: [failing] })
    await vi.waitFor(() => expect(broken.store(task).getState().assignee.status).toBe('error'))
    expect(broken.store(task).getState().assignee.error?.message).toMatch(/disk on fire/)
  })

  it('fails createRuntime clearly when the collection is not part of the runtime, or its key is a function', async () => {
    const task = defineStore<Task>()('task', {
      initial,
      actions,
      traits: { assignee: source(users, (s: Task) => s.assigneeId) },
    })
    expect(() => createRuntime({ stores: [task] })).toThrow(
      "source(users) into task.assignee: store 'users' is not part of this runtime (stores: task)",
    )
    const keyed = defineCollection<User>('keyed', { key: (u) => u.id })
    expect(() => source(keyed, (s: Task) => s.assigneeId)).toThrow("the collection's key is a function")
    await settle()
  })
})
