import type { JournalStorage } from '@atoma/journal'
import { indexedDbStorage } from '@atoma/journal/indexeddb'
import { opfsStorage } from '@atoma/journal/opfs'
import { persist } from '@atoma/journal/persist'
import { remoteStorage } from '@atoma/journal/remote'
import { webStorage } from '@atoma/journal/web-storage'
import { createRuntime, defineStore } from '@atoma/runtime'
import type { Driver } from './page.js'

/**
 * The browser side of the persist end-to-end test: an app's runtime with a persisted store on the
 * driver the test names, driven through `window.persisted`.
 */
const notes = defineStore('notes', {
  initial: { items: {} as Record<string, number>, order: [] as string[] },
  actions: {
    add: (draft, { key, value }: { key: string; value: number }) => {
      draft.items[key] = value
      draft.order.push(key)
    },
  },
})

function storageFor(driver: Driver): JournalStorage | Promise<JournalStorage> {
  if (driver === 'opfs') return opfsStorage()
  if (driver === 'indexeddb') return indexedDbStorage()
  if (driver === 'local-storage') return webStorage()
  return remoteStorage(new Worker('/worker.js', { type: 'module' }))
}

const make = (storage: JournalStorage, name: string) =>
  createRuntime({ stores: [notes], plugins: [persist({ stores: [notes], storage, name })] })
let runtime: ReturnType<typeof make> | undefined

const persisted = {
  async open(driver: Driver, name: string) {
    const storage = await storageFor(driver)
    runtime = make(storage, name)
    // Read before anything can run: a synchronous driver has hydrated inside createRuntime.
    const atCreate = { status: runtime.persist.status(notes).status, state: runtime.store(notes).getState() }
    await runtime.ready()
    return { atCreate, status: runtime.persist.status(notes).status }
  },
  add(key: string, value: number) {
    runtime!.store(notes).actions.add({ key, value })
  },
  flush: () => runtime!.persist.flush(),
  state: () => runtime!.store(notes).getState(),
  stats: () => runtime!.persist.stats(notes),
  origins: () => runtime!.history(notes).map((t) => t.origin),
  /** Resolves once the store holds `count` items: other tabs' writes arriving. */
  until(count: number) {
    const handle = runtime!.store(notes)
    return new Promise<void>((resolve) => {
      const check = () => {
        if (Object.keys(handle.getState().items).length < count) return false
        resolve()
        return true
      }
      if (check()) return
      const stop = handle.subscribe(() => check() && stop())
    })
  },
}

Object.assign(globalThis, { persisted })
export type Persisted = typeof persisted
