import { persist as atomaPersist } from '@atoma/journal/persist'
import { webStorage } from '@atoma/journal/web-storage'
import { createRuntime, defineStore } from '@atoma/runtime'
import { createJSONStorage, persist as zustandPersist } from 'zustand/middleware'
import { createStore } from 'zustand/vanilla'
import { entityId } from '../../data.js'

/**
 * The persist benchmark's page: the same one-field change in a persisted state of `size`
 * entities, by Atoma (`persist` on `webStorage()`, i.e. localStorage) and by zustand (its
 * `persist` middleware with `createJSONStorage(() => localStorage)`, the documented setup), and the
 * hydration of that state. Both write through `counted`, localStorage itself with a tally of the
 * code units each `setItem` stores — the bytes the table reports (localStorage stores code units;
 * Atoma's driver stores one byte per code unit, zustand's JSON is ASCII here, so both count the
 * same way). Entities are `{ id, count }`: zustand's JSON of 100,000 of the other benchmarks'
 * entities would not fit localStorage's quota (about 5.2 million code units in Chromium).
 */
interface Row {
  id: string
  count: number
}
type Rows = Record<string, Row>

let written = 0
/** localStorage, counting what is written. `webStorage` and `createJSONStorage` take any Storage. */
const counted: Storage = {
  get length() {
    return localStorage.length
  },
  key: (i) => localStorage.key(i),
  getItem: (key) => localStorage.getItem(key),
  setItem(key, value) {
    written += value.length
    localStorage.setItem(key, value)
  },
  removeItem: (key) => localStorage.removeItem(key),
  clear: () => localStorage.clear(),
}

const rowsOf = (size: number): Rows => {
  const rows: Rows = {}
  for (let i = 0; i < size; i++) rows[entityId(i)] = { id: entityId(i), count: 0 }
  return rows
}

interface Contender {
  /** One change of one entity's field (zustand's middleware persists it right there, in set()). */
  change(id: string): void
  /** Persists what `change` left to persist; returns the µs spent persisting it. */
  persisted(): number
  /** A fresh store on the same storage: the ms until it holds the persisted state. */
  hydrate(): number
  dispose(): void
}

function atoma(size: number): Contender {
  const entities = defineStore('entities', {
    initial: { items: rowsOf(size) },
    actions: {
      bump: (draft, id: string) => {
        draft.items[id]!.count += 1
      },
    },
  })
  // A throttle longer than any run, so the benchmark says when each commit is written: flush().
  const make = () =>
    createRuntime({
      stores: [entities],
      plugins: [
        atomaPersist({
          stores: [entities],
          storage: webStorage({ storage: counted }),
          name: 'bench',
          throttleMs: 3_600_000,
        }),
      ],
    })
  const runtime = make()
  return {
    change: (id) => runtime.store(entities).actions.bump(id), // the commit; persist records its patches
    persisted() {
      const t0 = performance.now()
      void runtime.persist.flush() // a synchronous driver: the append happens in this call
      return (performance.now() - t0) * 1000
    },
    hydrate() {
      const t0 = performance.now()
      const fresh = make() // synchronous hydration: the state is there when createRuntime returns
      const ms = performance.now() - t0
      if (fresh.persist.status(entities).status !== 'hydrated') throw new Error('atoma did not hydrate')
      fresh.dispose()
      return ms
    },
    dispose: () => runtime.dispose(),
  }
}

function zustand(size: number): Contender {
  let persisting = 0
  const json = createJSONStorage(() => counted)!
  // The same storage, timed: JSON.stringify and localStorage.setItem are zustand's persisting.
  const storage: typeof json = {
    ...json,
    setItem(name, value) {
      const t0 = performance.now()
      const result = json.setItem(name, value)
      persisting += performance.now() - t0
      return result
    },
  }
  interface State {
    items: Rows
    bump(id: string): void
  }
  const make = (items: Rows) =>
    createStore<State>()(
      zustandPersist(
        (set) => ({
          items,
          bump: (id) =>
            set((s) => ({ items: { ...s.items, [id]: { ...s.items[id]!, count: s.items[id]!.count + 1 } } })),
        }),
        { name: 'bench', storage },
      ),
    )
  const initial = rowsOf(size)
  const store = make(initial)
  return {
    change: (id) => store.getState().bump(id), // persist writes synchronously inside set()
    persisted() {
      const us = persisting * 1000
      persisting = 0
      return us
    },
    hydrate() {
      const t0 = performance.now()
      const fresh = make({}) // hydrates from localStorage synchronously while it is created
      const ms = performance.now() - t0
      if (!fresh.persist.hasHydrated() || Object.keys(fresh.getState().items).length !== size)
        throw new Error('zustand did not hydrate')
      return ms
    },
    dispose() {},
  }
}

/** A task boundary with a little idle time, when the browser collects garbage. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 4))

/**
 * One run: a warm-up (Atoma's checkpoint and zustand's first copy are written there), then
 * `commits` changes each persisted at once, in one synchronous loop: the whole commit, and the
 * bytes written; then `commits` changes again, each persisted after a pause: the persisting
 * alone, so that collecting the state update's garbage (both libraries copy the 100,000-key record
 * on every change) does not land in it. zustand persists inside set(), right after its copy;
 * Atoma when flush() is called. Then one hydration. µs and bytes are per commit.
 */
async function run(lib: 'atoma' | 'zustand', size: number, commits: number) {
  localStorage.clear()
  const contender = (lib === 'atoma' ? atoma : zustand)(size)
  try {
    let seed = 7
    const next = () => {
      seed = (seed * 16807) % 2147483647
      return entityId(seed % size)
    }
    for (let i = 0; i < Math.min(commits, 20); i++) {
      contender.change(next())
      contender.persisted()
    }
    written = 0
    const t0 = performance.now()
    for (let i = 0; i < commits; i++) {
      contender.change(next())
      contender.persisted()
    }
    const totalUs = ((performance.now() - t0) * 1000) / commits
    const bytes = written / commits
    let persistUs = 0
    for (let i = 0; i < commits; i++) {
      await pause()
      contender.change(next())
      await pause()
      persistUs += contender.persisted()
    }
    const hydrateMs = contender.hydrate()
    return { persistUs: persistUs / commits, totalUs, bytes, hydrateMs }
  } finally {
    contender.dispose()
    localStorage.clear()
  }
}

Object.assign(globalThis, { __persist: { run } })
document.body.append(Object.assign(document.createElement('p'), { id: 'ready', textContent: 'ready' }))
