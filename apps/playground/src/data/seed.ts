import type { Runtime } from '@atoma/runtime'
import { profiles, projects, tasks } from './collections.js'
import { newId } from './model.js'
import { PROFILES, SEED } from './sampleData.js'
import { notices } from './stores.js'

/**
 * The offline board's first visit finds no projects and gets the sample ones, as ordinary
 * optimistic writes into IndexedDB. (The team board's are written by the server at its first
 * start, as their members: see server/playgroundServer.js.)
 */
export async function seedIfEmpty(runtime: Runtime): Promise<void> {
  try {
    const existing = await runtime.store(projects).query({ limit: 1 }, { merge: 'upsert-only' })
    if (existing.items.length > 0) return
    const now = Date.now()
    const writes = runtime.batch(() => [
      ...PROFILES.map((profile) => runtime.store(profiles).write.create(profile)),
      ...SEED.flatMap((project, p) => {
        const projectId = newId()
        const createdAt = now - (SEED.length - p) * 60_000
        return [
          runtime.store(projects).write.create({ id: projectId, name: project.name, members: [], createdAt }),
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
    ])
    // unwrap(): a rejected write rejects with its AtomaError instead of resolving with it.
    await Promise.all(writes.map((write) => write.unwrap()))
  } catch (error) {
    runtime.store(notices).actions.show({
      tone: 'error',
      title: 'Could not load or create the sample projects.',
      detail: error instanceof Error ? error.message : String(error),
    })
  }
}
