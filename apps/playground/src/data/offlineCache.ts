import type { DehydratedState, Id, Runtime } from '@atoma/runtime'
import type { SyncApi } from '@atoma/sync'
import { projects, tasks } from './collections.js'

// What the team board last knew from the server, per user in localStorage, so that a reload
// while offline still shows the board: the outbox (IndexedDB, @atoma/sync) restores the writes
// that wait, and they need the data they were made on. It holds confirmed data only: an entity
// with a pending write keeps the value the cache had for it before (or stays out of it), so a
// restored write lands on what the server had, and rolls back to it if the server refuses it.
type Stored = { entries: [Id, unknown][]; versions: [Id, number][] }
type Snapshot = DehydratedState & { stores: Record<string, Stored> }

const keyOf = (user: string) => `atoma-playground:cache:${user}`

function read(user: string): Snapshot | undefined {
  const raw = localStorage.getItem(keyOf(user))
  return raw === null ? undefined : (JSON.parse(raw) as Snapshot)
}

/** Lands the saved data before the outbox restores the pending writes on top (call before `ready()`). */
export function restoreCache(runtime: Runtime, user: string): void {
  try {
    const saved = read(user)
    // hydrate checks everything before anything lands: a bad snapshot changes nothing.
    if (saved) runtime.hydrate(saved)
  } catch (error) {
    localStorage.removeItem(keyOf(user))
    console.warn('[playground] the saved board could not be read and was dropped:', error)
  }
}

/** Saves the data shortly after changes, unless the store shows a devtools jump (a past state). */
export function keepCache(runtime: Runtime & { sync: SyncApi }, user: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last: Snapshot | undefined
  const handles = [
    [projects.name, runtime.store(projects)],
    [tasks.name, runtime.store(tasks)],
  ] as const
  const save = () => {
    clearTimeout(timer)
    timer = undefined
    if (handles.some(([name]) => runtime.history(name).at(-1)?.origin.kind === 'devtools')) return
    try {
      last ??= read(user)
    } catch {
      last = undefined
    }
    const { stores } = runtime.dehydrate()
    const snapshot: Snapshot = { atoma: 1, stores: {} }
    for (const [name, handle] of handles) {
      const now = stores[name] as Stored | undefined
      if (now) snapshot.stores[name] = confirmedPart(now, last?.stores[name], (id) => handle.isPending(id))
    }
    try {
      localStorage.setItem(keyOf(user), JSON.stringify(snapshot))
      last = snapshot
    } catch (error) {
      // Full storage: the board works on, it just starts empty after an offline reload.
      console.warn('[playground] the board could not be saved for offline use:', error)
    }
  }
  const schedule = () => {
    if (timer === undefined) timer = setTimeout(save, 300)
  }
  const stops = [
    ...handles.map(([, handle]) => handle.subscribe(schedule)),
    // A confirmation may change nothing in the store: the outbox shrinking says it happened.
    runtime.sync.subscribe(schedule),
  ]
  window.addEventListener('pagehide', save)
  return () => {
    for (const stop of stops) stop()
    window.removeEventListener('pagehide', save)
    clearTimeout(timer)
  }
}

/** The entities as shown where nothing is pending; the earlier saved ones where something is. */
function confirmedPart(now: Stored, before: Stored | undefined, isPending: (id: Id) => boolean): Stored {
  const settled = <V>([id]: [Id, V]) => !isPending(id)
  const earlier = <V>([id]: [Id, V]) => isPending(id)
  return {
    entries: [...now.entries.filter(settled), ...(before?.entries.filter(earlier) ?? [])],
    versions: [...now.versions.filter(settled), ...(before?.versions.filter(earlier) ?? [])],
  }
}
