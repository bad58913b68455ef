import { type Journal, type JournalEvent, openJournal, type Patch } from '@atoma/journal'
import { indexedDbStorage } from '@atoma/journal/indexeddb'
import { opfsStorage } from '@atoma/journal/opfs'
import { remoteStorage } from '@atoma/journal/remote'
import { webStorage } from '@atoma/journal/web-storage'
import { applyPatches, enablePatches } from 'immer'

enablePatches()

/**
 * The browser side of the end-to-end test: opens a journal on the driver the test names, keeps a
 * state the way an app would — its own commits applied as it makes them, other tabs' commits as
 * they arrive in `external` events — and lets the test drive it through `window.harness`.
 */
export type Driver = 'opfs' | 'opfs-worker' | 'indexeddb' | 'local-storage'
type State = { items: Record<string, number> }

let journal: Journal | undefined
let state: State = { items: {} }
let inPlace: boolean | undefined
const events: string[] = []
/** This tab's commits that are not durable yet: a reset to another tab's root keeps them on top. */
const pending = new Set<Patch[]>()

const onEvent = (event: JournalEvent) => {
  events.push(event.type)
  if (event.type !== 'external') return
  for (const commit of event.commits) state = applyPatches(state, commit.patches) as State
  if (event.root === undefined) return
  state = event.root as State
  for (const patches of pending) state = applyPatches(state, patches) as State
}

async function storageFor(driver: Driver) {
  if (driver === 'opfs') return opfsStorage()
  if (driver === 'indexeddb') return indexedDbStorage()
  if (driver === 'local-storage') return webStorage()
  const worker = new Worker('/worker.js', { type: 'module' })
  inPlace = await new Promise<boolean>((resolve) =>
    worker.addEventListener('message', (e) => 'inPlace' in e.data && resolve(e.data.inPlace), { once: true }),
  )
  return remoteStorage(worker)
}

const harness = {
  async open(driver: Driver, name: string) {
    const storage = await storageFor(driver)
    journal = await (openJournal as (s: typeof storage, o: object) => Journal | Promise<Journal>)(storage, {
      name,
      initial: { items: {} },
      onEvent,
    })
    state = journal.root as State
    return { label: storage.label, mode: storage.mode, inPlace }
  },
  async commit(key: string, value: number) {
    const patches: Patch[] = [{ op: 'add', path: ['items', key], value }]
    state = applyPatches(state, patches) as State
    pending.add(patches)
    try {
      return await journal!.commit(patches)
    } finally {
      pending.delete(patches)
    }
  },
  /** Refreshes until the journal has reached commit `seq` (localStorage reaches other tabs late). */
  async refreshUntil(seq: number) {
    while (journal!.stats().seq < seq) {
      await journal!.refresh()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  },
  state: () => state,
  stats: () => journal!.stats(),
  events: () => events,
}

Object.assign(globalThis, { harness })
export type Harness = typeof harness
