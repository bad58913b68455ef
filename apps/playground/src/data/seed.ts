import type { Runtime } from '@atoma/runtime'
import { projects, tasks } from './collections.js'
import { newId, type Priority, type Status } from './model.js'
import { activity } from './stores.js'

type SeedTask = [title: string, status: Status, assignee: string, priority: Priority]

const SEED: readonly { name: string; tasks: readonly SeedTask[] }[] = [
  {
    name: 'Website relaunch',
    tasks: [
      ['Write the launch announcement', 'todo', 'Ada', 3],
      ['Pick a color palette', 'todo', '', 1],
      ['Move the blog to the new domain', 'todo', 'Linus', 2],
      ['Build the pricing page', 'doing', 'Grace', 3],
      ['Set up redirects from old URLs', 'doing', 'Margaret', 2],
      ['Choose a web font', 'done', 'Ada', 1],
      ['Sketch the home page', 'done', 'Grace', 2],
    ],
  },
  {
    name: 'Mobile app',
    tasks: [
      ['Offline mode for the reader', 'todo', 'Linus', 3],
      ['Dark theme', 'todo', 'Margaret', 1],
      ['Push notifications', 'doing', 'Ada', 2],
      ['App store screenshots', 'done', 'Grace', 2],
    ],
  },
]

/**
 * A first start finds no projects and gets two sample ones. They are ordinary optimistic writes,
 * so they go wherever the runtime's policy sends them (the server, or IndexedDB offline).
 */
export async function seedIfEmpty(runtime: Runtime): Promise<void> {
  try {
    const existing = await runtime.store(projects).query({ limit: 1 }, { merge: 'upsert-only' })
    if (existing.items.length > 0) return
    const now = Date.now()
    const writes = runtime.batch(() =>
      SEED.flatMap((project, p) => {
        const projectId = newId()
        const createdAt = now - (SEED.length - p) * 60_000
        return [
          runtime.store(projects).write.create({ id: projectId, name: project.name, createdAt }),
          ...project.tasks.map(([title, status, assignee, priority], t) =>
            runtime.store(tasks).write.create({
              id: newId(),
              projectId,
              title,
              status,
              assignee,
              priority,
              createdAt: createdAt + t,
            }),
          ),
        ]
      }),
    )
    // unwrap(): a rejected write rejects with its AtomaError instead of resolving with it.
    await Promise.all(writes.map((write) => write.unwrap()))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    runtime
      .store(activity)
      .actions.failed({ title: 'Could not load or create the sample projects.', detail: reason })
  }
}
