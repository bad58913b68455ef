import {
  type AtomaPlugin,
  clearDevtoolsEvents,
  createRuntime,
  defineCollection,
  defineStore,
  getDevtoolsInstance,
  isEntityMap,
  memoryBackend,
  type Runtime,
} from '@atoma/runtime'
import { afterEach, describe, expect, it } from 'vitest'
import { exportRecording } from '../src/recording/exportRecording.js'
import { replayRuntimes } from '../src/recording/replayRuntime.js'
import { liveTravel } from '../src/travel/travel.js'
import { countedMemory } from './support/countedMemory.js'

interface Task {
  id: string
  title: string
  done: boolean
}

const tasks = defineCollection<Task>('tasks', { key: 'id' })
const counter = defineStore('counter', {
  initial: { count: 0, label: 'start' },
  actions: {
    inc: (draft) => {
      draft.count += 1
    },
    rename: (draft, label: string) => {
      draft.label = label
    },
  },
})

const runtimes: Runtime[] = []
let count = 0
function runtimeWith(plugin: AtomaPlugin): { runtime: Runtime; label: string } {
  count += 1
  const runtime = createRuntime({
    stores: [tasks, counter],
    plugins: [plugin],
    devtools: { label: `travel-${count}` },
  })
  runtimes.push(runtime)
  return { runtime, label: runtime.label }
}

afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  clearDevtoolsEvents()
})

/** What the server has: read through a query's result, which carries the backend's items. */
async function serverTitles(runtime: Runtime): Promise<string[]> {
  const result = await runtime.store(tasks).query({ orderBy: [['id', 'asc']] })
  return result.items.map((task) => task.title)
}

const titles = (runtime: Runtime) => [...runtime.store(tasks).getState().values()].map((task) => task.title)

describe('time travel through the hub, with the real write chain', () => {
  it('resumes to the true latest state: confirmed base, and what the app committed while paused (issue 16)', async () => {
    const server = countedMemory({ tasks: [{ id: 'a', title: 'A', done: false }] })
    const { runtime, label } = runtimeWith(server.plugin)
    const store = runtime.store(tasks)
    await store.query({})
    const rename = await store.write.update('a', (draft) => {
      draft.title = 'B'
    })
    expect(rename.status).toBe('confirmed')

    // Jump to before the optimistic rename: the board shows A.
    liveTravel.jump(label, 'tasks', rename.txnId!, 'before')
    expect(titles(runtime)).toEqual(['A'])
    expect(liveTravel.overrideOf(label, 'tasks')?.at).toEqual({ txnId: rename.txnId, which: 'before' })

    // The app keeps working while paused: a task is added and confirmed.
    const created = await store.write.create({ id: 'c', title: 'C', done: false })
    expect(created.status).toBe('confirmed')
    expect(titles(runtime)).toEqual(['A', 'C'])
    expect(liveTravel.pausedCommits(label, 'tasks').map((record) => record.origin.kind)).toEqual([
      'optimistic',
      'writeback',
    ])

    liveTravel.resume(label, 'tasks')
    expect(liveTravel.overrideOf(label, 'tasks')).toBeUndefined()
    expect(titles(runtime)).toEqual(['B', 'C'])
    expect(await serverTitles(runtime)).toEqual(['B', 'C'])
    expect(titles(runtime)).toEqual(['B', 'C'])
  })

  it('keeps a write that was pending at the pause and confirms while paused', async () => {
    const server = countedMemory({ tasks: [{ id: 'a', title: 'A', done: false }] })
    const { runtime, label } = runtimeWith(server.plugin)
    const store = runtime.store(tasks)
    await store.query({})
    const first = await store.write.patch('a', { done: true })
    server.hold()
    const rename = store.write.update('a', (draft) => {
      draft.title = 'B'
    })
    expect(store.get('a')).toEqual({ id: 'a', title: 'B', done: true })

    liveTravel.jump(label, 'tasks', first.txnId!, 'before')
    expect(store.get('a')).toEqual({ id: 'a', title: 'A', done: false })
    server.release()
    expect((await rename).status).toBe('confirmed')

    liveTravel.resume(label, 'tasks')
    expect(store.get('a')).toEqual({ id: 'a', title: 'B', done: true })
    expect(await serverTitles(runtime)).toEqual(['B'])
  })

  it('resumes a plain store with the actions dispatched while paused', () => {
    const { runtime, label } = runtimeWith(memoryBackend())
    const store = runtime.store(counter)
    const first = store.actions.inc()
    store.actions.inc()
    store.actions.rename('two')
    liveTravel.jump(label, 'counter', first.txnId!, 'before')
    expect(store.getState()).toEqual({ count: 0, label: 'start' })
    store.actions.rename('while paused')
    liveTravel.resume(label, 'counter')
    expect(store.getState()).toEqual({ count: 2, label: 'while paused' })
  })

  it('skips a transaction by replaying the later patches, without any request, and refuses when a later one depends on it', async () => {
    const server = countedMemory({
      tasks: [
        { id: 'a', title: 'A', done: false },
        { id: 'b', title: 'B', done: false },
      ],
    })
    const { runtime, label } = runtimeWith(server.plugin)
    const store = runtime.store(tasks)
    await store.query({})
    const doneA = await store.write.patch('a', { done: true })
    const renameB = await store.write.patch('b', { title: 'B2' })
    await store.write.patch('a', { title: 'A2' })

    const calls = { ...server.calls }
    const history = () => getDevtoolsInstance(label)?.history('tasks') ?? []
    const appCommits = () => history().filter((record) => record.origin.kind !== 'devtools').length
    const commitsBefore = appCommits()

    // renameB touched only b; nothing later did: the rest replays without it.
    expect(liveTravel.toggleSkip(label, 'tasks', renameB.txnId!)).toEqual({ ok: true })
    expect(store.get('b')).toEqual({ id: 'b', title: 'B', done: false })
    expect(store.get('a')).toEqual({ id: 'a', title: 'A2', done: true })
    expect(history().at(-1)?.origin).toEqual({ kind: 'devtools', name: `skip #${renameB.txnId}` })

    // doneA changed a.done and renameA a.title: they do not depend on each other.
    expect(liveTravel.toggleSkip(label, 'tasks', doneA.txnId!)).toEqual({ ok: true })
    expect(store.get('a')).toEqual({ id: 'a', title: 'A2', done: false })
    expect(liveTravel.overrideOf(label, 'tasks')?.skipped).toEqual(new Set([renameB.txnId, doneA.txnId]))

    // Toggling one back recomputes with the other still skipped.
    expect(liveTravel.toggleSkip(label, 'tasks', renameB.txnId!)).toEqual({ ok: true })
    expect(store.get('b')?.title).toBe('B2')
    expect(store.get('a')?.done).toBe(false)

    // No recipe re-ran, no request went out, no app transaction was made: only devtools commits.
    expect(server.calls).toEqual(calls)
    expect(appCommits()).toBe(commitsBefore)

    liveTravel.resume(label, 'tasks')
    expect(titles(runtime)).toEqual(['A2', 'B2'])
    expect(store.get('a')?.done).toBe(true)
  })

  it('refuses to skip a transaction whose result a later one changed again', () => {
    const { runtime, label } = runtimeWith(memoryBackend())
    const store = runtime.store(counter)
    const first = store.actions.inc()
    store.actions.inc()
    const outcome = liveTravel.toggleSkip(label, 'counter', first.txnId!)
    expect(outcome).toEqual({
      ok: false,
      reason: expect.stringContaining(`depends on #${first.txnId}: it changed counter › count`),
    })
    expect(store.getState().count).toBe(2)
  })
})

describe('a runtime rebuilt from a recording', () => {
  it('re-commits the recorded transactions: each step has the state it had live', async () => {
    const { runtime, label } = runtimeWith(
      memoryBackend({ seed: { tasks: [{ id: 'a', title: 'A', done: false }] } }),
    )
    const store = runtime.store(tasks)
    await store.query({})
    await store.write.create({ id: 'b', title: 'B', done: false })
    await store.write.patch('a', { title: 'A2', done: true })
    await store.write.delete('b')
    runtime.store(counter).actions.inc()
    runtime.store(counter).actions.rename('later')
    const live = (name: string) =>
      runtime.history(name).map((record) => ({ txnId: record.txnId, after: record.after }))

    const recording = exportRecording()
    const rebuilt = replayRuntimes(recording)
    const handle = rebuilt.handle(label)
    if (!handle) throw new Error('no rebuilt runtime')
    const steps = (name: string) =>
      rebuilt.travel.history(label, name).map((record) => ({ txnId: record.txnId, after: record.after }))
    const asPlain = (items: { txnId: number; after: unknown }[]) =>
      items.map(({ after }) =>
        after instanceof Map || isEntityMap(after) ? [...(after as Map<unknown, unknown>)] : after,
      )
    expect(asPlain(steps('tasks'))).toEqual(asPlain(live('tasks')))
    expect(asPlain(steps('counter'))).toEqual(asPlain(live('counter')))
    // With the recorded ids: both views of a recording name a transaction alike.
    expect(steps('tasks').map((step) => step.txnId)).toEqual(live('tasks').map((step) => step.txnId))
    expect(steps('counter').map((step) => step.txnId)).toEqual(live('counter').map((step) => step.txnId))
    expect(rebuilt.approximate.size).toBe(0)

    // Travelling it touches only the rebuilt runtime, never the live one.
    const first = rebuilt.travel.history(label, 'tasks').find((record) => record.origin.kind === 'optimistic')
    rebuilt.travel.jump(label, 'tasks', first?.txnId ?? -1, 'before')
    expect([...(handle.getState('tasks') as Map<string, Task>).values()].map((task) => task.title)).toEqual([
      'A',
    ])
    expect(titles(runtime)).toEqual(['A2'])
  })
})

describe('a runtime rebuilt from a recording that starts mid-session', () => {
  it('starts each collection where its recorded history starts, and keeps the recorded ids', () => {
    const runtime = createRuntime({
      stores: [tasks],
      plugins: [memoryBackend()],
      devtools: { label: 'mid-session' },
      historySize: 2,
    })
    runtimes.push(runtime)
    for (const title of ['one', 'two', 'three', 'four'])
      runtime.transact(tasks, (draft) => void draft.set(title, { id: title, title, done: false }), {
        kind: 'sync',
      })
    const live = runtime.history(tasks)
    expect(live.map((record) => record.txnId)).toEqual([3, 4])

    const rebuilt = replayRuntimes(exportRecording())
    const steps = rebuilt.travel.history(runtime.label, 'tasks')
    expect(steps.map((record) => [record.txnId, record.origin.kind])).toEqual([
      [2, 'hydrate'],
      [3, 'sync'],
      [4, 'sync'],
    ])
    const keys = (state: unknown) => [...(state as Map<string, Task>).keys()]
    expect(keys(steps[1]?.before)).toEqual(['one', 'two'])
    expect(keys(steps[2]?.after)).toEqual(['one', 'two', 'three', 'four'])
  })
})
