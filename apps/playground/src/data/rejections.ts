import type { ErrorInfo, Runtime, WriteEntry } from '@atoma/runtime'
import type { SyncApi } from '@atoma/sync'
import { projects, tasks } from './collections.js'
import { type Notice, notices } from './stores.js'

const VERBS: Record<WriteEntry['op'], string> = {
  create: 'add',
  upsert: 'save',
  update: 'save',
  patch: 'save',
  delete: 'delete',
}

/** The notice for a write the backend refused (and the runtime rolled back). */
export function rejectionNotice(
  op: WriteEntry['op'],
  name: string,
  error: Pick<ErrorInfo, 'code' | 'message'>,
) {
  const notice: Omit<Notice, 'id'> =
    error.code === 'CONFLICT'
      ? {
          tone: 'error',
          title: `“${name}” was changed elsewhere first`,
          detail: `Your change reached the server after another one: the server kept that version, and yours was not applied. (${error.message})`,
        }
      : {
          tone: 'error',
          title: `Could not ${VERBS[op]} “${name}”; the change was undone.`,
          detail: error.message,
        }
  return notice
}

/**
 * On the team board every write goes through the outbox, and this is where its rejections become
 * notices: also those of writes made before a reload, whose write handles are gone. A rejection
 * arrives before the runtime rolls it back, so the name is read once that happened (the item as
 * the server has it, or as the entry wanted it).
 */
export function reportRejections(runtime: Runtime & { sync: SyncApi }): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const stop = runtime.sync.subscribeSettled(({ store, entry, result }) => {
    if (result.status !== 'rejected') return
    const timer = setTimeout(() => {
      timers.delete(timer)
      const name = nameOf(runtime, store, entry, result.error.current)
      runtime.store(notices).actions.show(rejectionNotice(entry.op, name, result.error))
    })
    timers.add(timer)
  })
  return () => {
    stop()
    for (const timer of timers) clearTimeout(timer)
  }
}

function nameOf(runtime: Runtime, store: string, entry: WriteEntry, current: unknown): string {
  const field = store === projects.name ? 'name' : 'title'
  const shown =
    store === projects.name
      ? runtime.store(projects).get(String(entry.id))
      : store === tasks.name
        ? runtime.store(tasks).get(String(entry.id))
        : undefined
  for (const candidate of [current, shown, entry.value]) {
    const value = (candidate as Record<string, unknown> | undefined)?.[field]
    if (typeof value === 'string') return value
  }
  return String(entry.id)
}
