import { inspectLogic } from '@atoma/logic'
import { createRuntime, memoryBackend, type Runtime } from '@atoma/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { profiles, tasks } from '../src/data/collections.js'
import type { Profile, Task } from '../src/data/model.js'
import { AUTOSAVE_MS, autosave, editor } from '../src/logic/editor.js'
import { progress } from '../src/logic/progress.js'

// The playground's @atoma/logic parts (issue 18) on a real runtime over the memory backend, in
// Node: the board's stores and logic, as runtimes.ts gives them to every board.
const task = (id: string, projectId: string, status: Task['status'], assignee = ''): Task => ({
  id,
  projectId,
  title: `Task ${id}`,
  status,
  assignee,
  priority: 2,
  createdAt: 0,
})
const PROFILES: Profile[] = [
  { id: 'Ada', fullName: 'Ada Lovelace', role: 'Analyst' },
  { id: 'Grace', fullName: 'Grace Hopper', role: 'Compiler engineer' },
]

let runtime: Runtime | undefined
afterEach(() => {
  runtime?.dispose()
  runtime = undefined
  vi.useRealTimers()
})

async function start(seedTasks: Task[] = []): Promise<Runtime> {
  runtime = createRuntime({
    stores: [tasks, profiles, editor, progress],
    plugins: [memoryBackend({ seed: { tasks: seedTasks, profiles: PROFILES } })],
    policy: 'local-first',
    logic: [autosave],
  })
  await runtime.ready()
  return runtime
}

/** The titles task `id` shows from now on, each once (an optimistic value and its confirmation are one). */
function titlesOf(rt: Runtime, id: string): string[] {
  const titles: string[] = []
  rt.store(tasks).subscribeEntity(id, (value) => {
    const title = (value as Task | undefined)?.title
    if (title !== undefined && titles.at(-1) !== title) titles.push(title)
  })
  return titles
}

describe('the playground’s logic', () => {
  it('auto-saves a draft once typing pauses, each change aborting the save still waiting (latest)', async () => {
    vi.useFakeTimers()
    const rt = await start([task('t1', 'p1', 'todo')])
    await rt.store(tasks).query({})
    const actions = rt.store(editor).actions
    const titles = titlesOf(rt, 't1')
    actions.open(rt.store(tasks).get('t1') as Task)
    for (const title of ['C', 'Ca', 'Cal', 'Call the printer']) {
      actions.change({ title })
      await vi.advanceTimersByTimeAsync(AUTOSAVE_MS / 4)
    }
    expect(rt.store(tasks).get('t1')?.title).toBe('Task t1')
    expect(rt.store(editor).getState().autosave).toBe('waiting')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS)

    expect(rt.store(tasks).get('t1')?.title).toBe('Call the printer')
    expect(rt.store(editor).getState().autosave).toBe('saved')
    expect(titles).toEqual(['Call the printer'])
    const [watcher] = inspectLogic(rt).logic.find((logic) => logic.name === 'autosave')?.watchers ?? []
    expect(watcher).toMatchObject({ mode: 'latest', started: 4, aborted: 3, finished: 1, failed: 0 })

    // Nothing new to save: a change back and forth within the pause writes nothing.
    actions.change({ title: 'Call the printer!' })
    actions.change({ title: 'Call the printer' })
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS * 2)
    expect(titles).toEqual(['Call the printer'])
    // Closing the editor drops the save that waits.
    actions.change({ title: 'Never saved' })
    actions.close()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS * 2)
    expect(rt.store(tasks).get('t1')?.title).toBe('Call the printer')
  })

  it('keeps done/total per project in the same commit as the tasks change (link + computed)', async () => {
    const rt = await start([
      task('a', 'p1', 'todo'),
      task('b', 'p1', 'done'),
      task('c', 'p1', 'doing'),
      task('d', 'p2', 'done'),
    ])
    expect(rt.store(progress).getState().byProject).toEqual({})
    await rt.store(tasks).query({})
    expect(rt.store(progress).getState().byProject).toEqual({
      p1: { done: 1, total: 3 },
      p2: { done: 1, total: 1 },
    })
    let notified = 0
    const stop = rt.store(progress).subscribe(() => notified++)
    await rt.store(tasks).write.patch('a', { status: 'done' })
    expect(rt.store(progress).getState().byProject.p1).toEqual({ done: 2, total: 3 })
    // A title changes nothing the progress depends on: no commit of the progress store.
    const before = notified
    await rt.store(tasks).write.patch('c', { title: 'Renamed' })
    expect(notified).toBe(before)
    await rt.store(tasks).write.delete('d')
    expect(rt.store(progress).getState().byProject.p2).toBeUndefined()
    stop()
  })

  it('fetches the profile of the draft’s assignee, following the assignee as it changes (source)', async () => {
    const rt = await start([task('t1', 'p1', 'todo', 'Ada')])
    await rt.store(tasks).query({})
    const settled = () =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (rt.store(editor).getState().assignee.status !== 'loading') {
            stop()
            resolve()
          }
        }
        const stop = rt.store(editor).subscribe(check)
        check()
      })
    rt.store(editor).actions.open(rt.store(tasks).get('t1') as Task)
    expect(rt.store(editor).getState().assignee.status).toBe('loading')
    await settled()
    expect(rt.store(editor).getState().assignee).toMatchObject({ status: 'success', data: PROFILES[0] })

    rt.store(editor).actions.change({ assignee: 'Grace' })
    expect(rt.store(editor).getState().assignee.status).toBe('loading')
    await settled()
    expect(rt.store(editor).getState().assignee).toMatchObject({ status: 'success', data: PROFILES[1] })

    rt.store(editor).actions.change({ assignee: '' })
    expect(rt.store(editor).getState().assignee.status).toBe('idle')
  })
})
