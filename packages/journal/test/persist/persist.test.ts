import { openJournal } from '@atoma/journal'
import { memoryStorage } from '@atoma/journal/memory'
import { type PersistOptions, persist } from '@atoma/journal/persist'
import {
  createRuntime,
  defineCollection,
  defineStore,
  getDevtoolsSnapshot,
  type RuntimeDebugEvent,
} from '@atoma/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { encodeFrame } from '../../src/frame/frame.js'
import { asAsync } from '../support.js'
import { nextState, settled } from './support.js'

interface Ui {
  theme: 'light' | 'dark'
  recent: string[]
  draft: string
}
const ui = defineStore<Ui>()('ui', {
  initial: { theme: 'light', recent: [], draft: '' },
  actions: {
    setTheme: (draft, theme: Ui['theme']) => {
      draft.theme = theme
    },
    visit: (draft, page: string) => {
      draft.recent.push(page)
    },
    type: (draft, text: string) => {
      draft.draft = text
    },
    reset: () => ({ theme: 'light', recent: [], draft: '' }),
  },
})

const runtimes: { dispose(): void }[] = []
afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  vi.restoreAllMocks()
  vi.useRealTimers()
})

type Options = Partial<PersistOptions<readonly [typeof ui]>>
/** `label`: with devtools on, under that label (each test's own events). */
function open(storage: PersistOptions['storage'], options: Options = {}, label?: string) {
  const runtime = createRuntime({
    stores: [ui],
    plugins: [persist({ stores: [ui], storage, name: 'app', ...options })],
    devtools: label === undefined ? false : { label },
  })
  runtimes.push(runtime)
  return runtime
}
/** Silences (and records) the development warnings diagnostics come with. */
const warnings = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined)

describe('persist', () => {
  it('a commit just before dispose posts nothing to the closed tab channel', async () => {
    const uncaught: unknown[] = []
    const record = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', record)
    try {
      const runtime = open(memoryStorage())
      await runtime.ready()
      runtime.store(ui).actions.setTheme('dark')
      runtime.dispose()
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', record)
    }
  })

  it('hydrates from a synchronous driver inside createRuntime, in one hydrate transaction', async () => {
    const storage = memoryStorage()
    const first = open(storage)
    expect(first.persist.status(ui)).toEqual({ status: 'hydrated' })
    first.store(ui).actions.setTheme('dark')
    first.store(ui).actions.visit('/home')
    await first.persist.flush()
    first.dispose()

    const second = open(storage)
    // No await: the state is there when createRuntime returns.
    expect(second.store(ui).getState()).toEqual({ theme: 'dark', recent: ['/home'], draft: '' })
    const history = second.history(ui)
    expect(history).toHaveLength(1)
    expect(history[0]!.origin).toEqual({ kind: 'hydrate', name: 'persist' })
    expect(second.persist.stats(ui)).toMatchObject({
      journal: 'app.ui',
      status: 'hydrated',
      seq: 1,
      pending: 0,
    })
  })

  it('appends O(change): one field of 10 or of 10,000 entities writes the same bytes', async () => {
    const appended = async (count: number) => {
      const items = Object.fromEntries(Array.from({ length: count }, (_, i) => [`e${i}`, { n: 0 }]))
      const entities = defineStore('entities', {
        initial: { items },
        actions: {
          bump: (draft, id: string) => {
            draft.items[id]!.n += 1
          },
        },
      })
      const storage = memoryStorage()
      const runtime = createRuntime({
        stores: [entities],
        plugins: [persist({ stores: [entities], storage, name: 'app' })],
      })
      runtimes.push(runtime)
      runtime.store(entities).actions.bump('e1') // creates the journal: its checkpoint is O(state)
      await runtime.persist.flush()
      const before = storage.bytes('app.entities', 0).length
      runtime.store(entities).actions.bump('e7')
      await runtime.persist.flush()
      return storage.bytes('app.entities', 0).length - before
    }
    const small = await appended(10)
    expect(await appended(10_000)).toBe(small)
    expect(small).toBeLessThan(150)
  })

  it('hydrates from an asynchronous driver: hydrating, then hydrated, writes made meanwhile on top', async () => {
    const memory = memoryStorage()
    const first = open(asAsync(memory))
    await first.ready()
    first.store(ui).actions.setTheme('dark')
    first.store(ui).actions.visit('/a')
    await first.persist.flush()
    first.dispose()

    const second = open(asAsync(memory))
    expect(second.persist.status(ui)).toEqual({ status: 'hydrating' })
    expect(second.store(ui).getState().theme).toBe('light') // not read yet
    // Writes before hydration: neither lost nor overwritten by the persisted state.
    second.store(ui).actions.visit('/b')
    second.store(ui).actions.type('hello')
    const flushed = second.persist.flush() // waits for hydration, then for the writes
    await second.ready()
    expect(second.persist.status(ui)).toEqual({ status: 'hydrated' })
    expect(second.store(ui).getState()).toEqual({ theme: 'dark', recent: ['/a', '/b'], draft: 'hello' })
    expect(second.history(ui).filter((t) => t.origin.kind === 'hydrate')).toHaveLength(1)
    await flushed
    second.dispose()

    const third = open(asAsync(memory))
    await third.ready()
    expect(third.store(ui).getState()).toEqual({ theme: 'dark', recent: ['/a', '/b'], draft: 'hello' })
  })

  it('disposing writes what is buffered before the journal closes', async () => {
    const memory = memoryStorage()
    const runtime = open(asAsync(memory))
    await runtime.ready()
    runtime.store(ui).actions.visit('/1')
    const first = runtime.persist.flush() // being written
    runtime.store(ui).actions.visit('/2') // waits behind it
    runtime.dispose()
    await first
    await vi.waitFor(() =>
      expect(openJournal(memory, { name: 'app.ui' }).root).toMatchObject({ recent: ['/1', '/2'] }),
    )
  })

  it('persists only the fields partialize names; the others start from the initial state', async () => {
    const storage = memoryStorage()
    const first = open(storage, { partialize: ['theme', 'recent'] })
    first.store(ui).actions.setTheme('dark')
    await first.persist.flush()
    const size = storage.bytes('app.ui', 0).length
    first.store(ui).actions.type('not persisted')
    await first.persist.flush()
    expect(storage.bytes('app.ui', 0).length).toBe(size) // the draft's patch was not written
    // A recipe returning a whole new state writes the fields that changed, and only persisted ones.
    first.store(ui).actions.visit('/x')
    first.store(ui).actions.reset()
    await first.persist.flush()
    const journal = openJournal(storage, { name: 'app.ui' })
    expect(journal.root).toEqual({ theme: 'light', recent: [] })
    first.store(ui).actions.setTheme('dark')
    first.store(ui).actions.type('typed')
    await first.persist.flush()
    first.dispose()

    const second = open(storage, { partialize: ['theme', 'recent'] })
    expect(second.store(ui).getState()).toEqual({ theme: 'dark', recent: [], draft: '' })
  })

  it('writes the commits of throttleMs as one append', async () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    const runtime = open(storage, { throttleMs: 100 })
    const changes = storage.changes
    runtime.store(ui).actions.visit('/1')
    runtime.store(ui).actions.visit('/2')
    await Promise.resolve()
    runtime.store(ui).actions.visit('/3')
    expect(runtime.persist.stats(ui).pending).toBe(3)
    expect(storage.changes).toBe(changes)
    vi.advanceTimersByTime(100)
    expect(storage.changes).toBe(changes + 1)
    expect(runtime.persist.stats(ui)).toMatchObject({ pending: 0, seq: 1 })
    expect(openJournal(storage, { name: 'app.ui' }).root).toMatchObject({ recent: ['/1', '/2', '/3'] })
  })

  it('migrates an older journal and stores the migration', async () => {
    const storage = memoryStorage()
    const v1 = openJournal(storage, {
      name: 'app.ui',
      version: 1,
      initial: { mode: 'dark', pages: ['/old'] },
    })
    v1.commit([])
    const migrate = vi.fn((persisted: unknown, from: number) => {
      const old = persisted as { mode: Ui['theme']; pages: string[] }
      return { theme: old.mode, recent: old.pages, from }
    })
    const runtime = open(storage, { version: 2, migrate })
    expect(migrate).toHaveBeenCalledWith({ mode: 'dark', pages: ['/old'] }, 1, 'ui')
    expect(runtime.store(ui).getState()).toEqual({ theme: 'dark', recent: ['/old'], draft: '', from: 1 })
    runtime.dispose()
    const stored = openJournal(storage, { name: 'app.ui' })
    expect(stored.version).toBe(2)
    // With the field the migrated state lacked, as the store holds it: the journal is the store's.
    expect(stored.root).toEqual({ theme: 'dark', recent: ['/old'], from: 1, draft: '' })
    migrate.mockClear()
    open(storage, { version: 2, migrate })
    expect(migrate).not.toHaveBeenCalled()
  })

  it('a migration that fails leaves the journal alone and the store at its initial state', async () => {
    const warned = warnings()
    const storage = memoryStorage()
    openJournal(storage, { name: 'app.ui', version: 1, initial: { theme: 'dark', recent: [] } }).commit([])
    const bytes = storage.bytes('app.ui', 0)
    const runtime = open(storage, {
      version: 2,
      migrate: () => {
        throw new Error('unknown shape')
      },
    })
    expect(runtime.persist.status(ui)).toMatchObject({
      status: 'error',
      error: {
        code: 'VALIDATION',
        store: 'ui',
        message: "persist: store 'ui': could not be migrated from version 1 to 2: unknown shape",
      },
    })
    expect(warned).toHaveBeenCalledWith(
      "[atoma] persist::migration_failed: persist: store 'ui': could not be migrated from version 1 to 2: unknown shape",
    )
    expect(runtime.store(ui).getState()).toEqual(ui.initial)
    runtime.store(ui).actions.setTheme('dark') // not written: the journal is not this version's
    await expect(runtime.persist.flush()).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(storage.bytes('app.ui', 0)).toEqual(bytes)

    // No migrate function, or a journal from a newer version: the same, with their reasons.
    expect(open(storage, { version: 2 }).persist.status(ui).error?.message).toBe(
      "persist: store 'ui': was persisted at version 1 and this app is at version 2, but persist has no migrate function; the journal is left as it is",
    )
    expect(open(storage, { version: 0 }).persist.status(ui).error?.message).toBe(
      "persist: store 'ui': was persisted at version 1, newer than this app's version 0; the journal is left as it is",
    )
    expect(storage.bytes('app.ui', 0)).toEqual(bytes)
  })

  it('reports a torn tail, recovers it, and goes on writing', async () => {
    const warned = warnings()
    const storage = memoryStorage()
    const first = open(storage)
    first.store(ui).actions.setTheme('dark')
    await first.persist.flush()
    first.store(ui).actions.visit('/lost')
    await first.persist.flush()
    first.dispose()
    // A crash in the middle of the last append.
    const bytes = storage.bytes('app.ui', 0)
    storage.put('app.ui', 0, bytes.subarray(0, bytes.length - 5))

    const second = open(storage, {}, 'torn')
    expect(second.store(ui).getState()).toEqual({ theme: 'dark', recent: [], draft: '' })
    const diagnostics = getDevtoolsSnapshot().events.filter(
      (e: RuntimeDebugEvent) => e.kind === 'diagnostic' && e.runtimeLabel === second.label,
    )
    expect(diagnostics.map((e) => e.name)).toEqual(['persist::damaged'])
    expect(warned.mock.calls[0]![0]).toMatch(
      /^\[atoma\] persist::damaged: store 'ui': journal 'app\.ui' generation 0: the log ends in the middle of a record .*; recovering$/,
    )
    expect(second.persist.stats(ui)).toMatchObject({
      damage: [],
      lastRecovery: { reasons: ['torn'], discarded: expect.any(Number) },
    })
    second.store(ui).actions.visit('/after')
    await second.persist.flush()
    second.dispose()
    expect(open(storage).store(ui).getState().recent).toEqual(['/after'])
  })

  it('a journal that cannot be read leaves the store at its initial state until clear()', async () => {
    warnings()
    const storage = memoryStorage()
    openJournal(storage, { name: 'app.ui' }).commit([{ op: 'add', path: ['theme'], value: 'dark' }])
    const size = storage.bytes('app.ui', 0).length
    storage.append('app.ui', 0, size, encodeFrame(0x7f, new TextEncoder().encode('{}'))) // a newer writer's kind
    const runtime = open(storage)
    const { error } = runtime.persist.status(ui)
    expect(error).toMatchObject({ code: 'VALIDATION', store: 'ui', cause: { code: 'JOURNAL_UNKNOWN_KIND' } })
    expect(error?.message).toMatch(
      /^persist: store 'ui': could not be read: journal 'app\.ui' generation 0: record at offset \d+ has kind 0x7f/,
    )
    expect(runtime.store(ui).getState()).toEqual(ui.initial)

    runtime.store(ui).actions.setTheme('dark')
    await runtime.persist.clear(ui)
    expect(runtime.persist.status(ui)).toEqual({ status: 'hydrated' })
    expect(runtime.store(ui).getState()).toEqual(ui.initial)
    runtime.store(ui).actions.visit('/fresh')
    await runtime.persist.flush()
    runtime.dispose()
    expect(open(storage).store(ui).getState()).toEqual({ ...ui.initial, recent: ['/fresh'] })
  })

  it('checks what it reads against the store: a state of another shape is not applied', () => {
    warnings()
    const storage = memoryStorage()
    openJournal(storage, { name: 'app.ui', initial: ['not', 'an', 'object'] }).commit([])
    const runtime = open(storage)
    expect(runtime.persist.status(ui).error?.message).toBe(
      "persist: store 'ui': the persisted state is an array, but the store's state is an object; it is not applied",
    )
    expect(runtime.store(ui).getState()).toBe(ui.initial)
  })

  it('compacts once the log outgrows its checkpoint, and says so to the devtools', async () => {
    const storage = memoryStorage()
    const runtime = open(storage, {}, 'compaction')
    for (let i = 0; i < 80; i++) {
      runtime.store(ui).actions.type(`draft ${i} ${'x'.repeat(1000)}`)
      await runtime.persist.flush()
    }
    const stats = runtime.persist.stats(ui)
    expect(stats.generation).toBeGreaterThan(0)
    expect(stats.lastCheckpoint).toMatchObject({ seq: expect.any(Number), at: expect.any(Number) })
    expect(stats.bytes).toBeLessThan(2 * 64 * 1024 + stats.lastCheckpoint.bytes)
    expect(storage.generations('app.ui')).toEqual([stats.generation])
    const events = getDevtoolsSnapshot().events.filter(
      (e) => e.kind === 'lifecycle' && e.name === 'persist' && e.runtimeLabel === runtime.label,
    )
    expect(events.map((e) => (e.data as { event: string }).event)).toEqual(['hydrated', 'checkpoint'])
    expect(events[1]).toMatchObject({
      store: 'ui',
      data: { journal: 'app.ui', lastCheckpoint: { at: expect.any(Number) } },
    })
    runtime.dispose()
    expect(open(storage).store(ui).getState().draft).toBe(`draft 79 ${'x'.repeat(1000)}`)
  })

  it('keeps a failed write and writes it with the next one, in order', async () => {
    warnings()
    const memory = memoryStorage()
    let full = true
    const storage = {
      ...memory,
      append(name: string, generation: number, at: number, bytes: Uint8Array) {
        if (full) throw new Error('QuotaExceededError')
        return memory.append(name, generation, at, bytes)
      },
    }
    const runtime = open(storage)
    runtime.store(ui).actions.visit('/1')
    await expect(runtime.persist.flush()).rejects.toMatchObject({ code: 'JOURNAL_STORAGE' })
    await Promise.resolve() // the commit's own scheduled write fails as well
    expect(runtime.persist.stats(ui)).toMatchObject({
      pending: 1,
      lastError: expect.stringContaining('QuotaExceededError'),
    })
    full = false
    runtime.store(ui).actions.visit('/2')
    await runtime.persist.flush()
    expect(runtime.persist.stats(ui)).toMatchObject({ pending: 0, seq: 1 })
    expect(runtime.persist.stats(ui).lastError).toBeUndefined()
    expect(openJournal(memory, { name: 'app.ui' }).root).toMatchObject({ recent: ['/1', '/2'] })
  })

  it('a value the journal cannot store stops persistence of the store, naming the value', async () => {
    warnings()
    class Point {
      x = 1
    }
    const shapes = defineStore('shapes', {
      initial: { points: [] as unknown[] },
      actions: {
        add: (draft, point: unknown) => {
          draft.points.push(point)
        },
      },
    })
    const storage = memoryStorage()
    const runtime = createRuntime({
      stores: [shapes],
      plugins: [persist({ stores: [shapes], storage, name: 'app' })],
    })
    runtimes.push(runtime)
    runtime.store(shapes).actions.add({ x: 0 })
    await runtime.persist.flush()
    runtime.store(shapes).actions.add(new Point())
    await expect(runtime.persist.flush()).rejects.toMatchObject({ code: 'VALIDATION', store: 'shapes' })
    expect(runtime.persist.status(shapes).error?.message).toBe(
      "persist: store 'shapes': cannot be persisted: journal 'app.shapes': patch record: cannot store an instance of Point at patches[0].value",
    )
    expect(openJournal(storage, { name: 'app.shapes' }).root).toEqual({ points: [{ x: 0 }] })
  })

  it("types partialize with the stores' fields (checked by tsc), per store or for all", () => {
    const storage = memoryStorage()
    const settings = defineStore('settings', { initial: { fontSize: 14 } })
    const made = [
      persist({ stores: [ui], storage, name: 'a', partialize: ['theme', 'recent'] }),
      persist({ stores: [{ store: ui, partialize: ['draft'], version: 2 }, settings], storage, name: 'a' }),
      // @ts-expect-error 'nope' is no field of ui
      persist({ stores: [ui], storage, name: 'a', partialize: ['nope'] }),
      // @ts-expect-error 'fontSize' is a field of settings, not of ui
      persist({ stores: [{ store: ui, partialize: ['fontSize'] }, settings], storage, name: 'a' }),
    ]
    expect(made.map((p) => p.name)).toEqual(['persist', 'persist', 'persist', 'persist'])
  })

  it('refuses a collection, pointing to memoryBackend storage', () => {
    warnings()
    const todos = defineCollection<{ id: string }>('todos', { key: 'id' })
    expect(() =>
      createRuntime({
        stores: [todos],
        plugins: [persist({ stores: [todos as never], storage: memoryStorage(), name: 'app' })],
      }),
    ).toThrow(
      "persist: 'todos' is a collection: its data lives in its backend, and the runtime holds only a view of it. Persist it there: memoryBackend({ storage: journalStorage(driver, { name: 'todos' }) }) (journalStorage is in @atoma/journal/persist)",
    )
    expect(() => persist({ stores: [ui], storage: memoryStorage(), name: 'no spaces' })).toThrow(
      'persist: name "no spaces" is not valid',
    )
    const other = defineStore('ui', { initial: {} })
    expect(() =>
      createRuntime({
        stores: [other],
        plugins: [persist({ stores: [ui], storage: memoryStorage(), name: 'app' })],
      }),
    ).toThrow(/a different definition named 'ui'/)
  })
})

describe('persist across runtimes on one journal (tabs)', () => {
  it('applies the other runtime’s commits as sync transactions, and both stay in step', async () => {
    const storage = memoryStorage()
    const a = open(storage)
    const b = open(storage)
    a.store(ui).actions.setTheme('dark')
    await a.persist.flush()
    await nextState(b, ui, (s) => s.theme === 'dark')
    expect(b.history(ui).at(-1)?.origin).toEqual({ kind: 'sync', name: 'persist' })

    // Both write at once: each one's commit lands under the other's pending one, in log order.
    a.store(ui).actions.visit('/a')
    b.store(ui).actions.visit('/b')
    b.store(ui).actions.type('b wins')
    a.store(ui).actions.type('a typed')
    await Promise.all([a.persist.flush(), b.persist.flush()])
    const stored = () => openJournal(storage, { name: 'app.ui' }).root as Ui
    await nextState(a, ui, (s) => s.recent.length === 2)
    await nextState(b, ui, (s) => s.recent.length === 2)
    expect(a.store(ui).getState()).toEqual(stored())
    expect(b.store(ui).getState()).toEqual(stored())
    expect(stored().recent).toEqual(['/a', '/b'])
  })

  it('follows the other runtime’s compaction and clear()', async () => {
    const storage = memoryStorage()
    const a = open(storage)
    const b = open(storage)
    for (let i = 0; i < 80; i++) {
      a.store(ui).actions.type(`${i} ${'x'.repeat(1000)}`)
      await a.persist.flush()
    }
    expect(a.persist.stats(ui).generation).toBeGreaterThan(0)
    b.store(ui).actions.visit('/from b') // its append reads a's new generation first
    await b.persist.flush()
    await nextState(a, ui, (s) => s.recent.length === 1)
    expect(b.store(ui).getState()).toEqual(a.store(ui).getState())

    await a.persist.clear()
    expect(a.store(ui).getState()).toEqual(ui.initial)
    await nextState(b, ui, (s) => s.recent.length === 0 && s.draft === '')
    expect(b.store(ui).getState()).toEqual(ui.initial)
  })

  it("keeps this tab's commit out of the journal when it no longer applies on top of another's", async () => {
    warnings()
    const items = defineStore('items', {
      initial: { byId: { a: { v: 0 } } as Record<string, { v: number }> },
      actions: {
        drop: (draft, id: string) => {
          delete draft.byId[id]
        },
        set: (draft, { id, v }: { id: string; v: number }) => {
          draft.byId[id]!.v = v
        },
      },
    })
    const storage = memoryStorage()
    const make = () => {
      const runtime = createRuntime({
        stores: [items],
        plugins: [persist({ stores: [items], storage, name: 'app' })],
      })
      runtimes.push(runtime)
      return runtime
    }
    const a = make()
    const b = make()
    b.store(items).actions.set({ id: 'a', v: 1 }) // b has not seen a's drop yet
    a.store(items).actions.drop('a')
    await a.persist.flush()
    await expect(b.persist.flush()).rejects.toMatchObject({ code: 'VALIDATION', store: 'items' })
    expect(b.persist.status(items).error?.message).toMatch(
      /^persist: store 'items': this tab's commits do not apply on another writer's: nothing to descend into at "a"/,
    )
    // The journal holds a's drop and not b's edit: it opens, and a's state is what it holds.
    expect(openJournal(storage, { name: 'app.items' }).root).toEqual({ byId: {} })
    expect(a.store(items).getState()).toEqual({ byId: {} })
  })

  it('a commit from another writer that does not apply stops persistence of the store, naming it', async () => {
    warnings()
    const storage = memoryStorage()
    const runtime = open(storage)
    runtime.store(ui).actions.visit('/a')
    await runtime.persist.flush()
    // Another writer's commit that does not fit this state (an index past the end of the list).
    openJournal(storage, { name: 'app.ui' }).commit([{ op: 'add', path: ['recent', 5], value: '/x' }])
    const before = runtime.store(ui).getState()
    const stopped = settledError(runtime.persist)
    new BroadcastChannel('atoma-journal:memory').postMessage({ grown: [['app.ui', 2]] })
    await stopped
    expect(runtime.persist.status(ui).error?.message).toMatch(
      /^persist: store 'ui': another writer's commits do not apply: index 5 is out of range/,
    )
    expect(runtime.store(ui).getState()).toBe(before)
  })
})

function settledError(api: { subscribe(l: () => void): () => void; status(s: string): { status: string } }) {
  return new Promise<void>((resolve) => {
    const stop = api.subscribe(() => {
      if (api.status('ui').status !== 'error') return
      stop()
      resolve()
    })
  })
}

describe('persist with an asynchronous driver and another writer', () => {
  it('settles hydration even when the journal cannot be read, and ready() resolves', async () => {
    warnings()
    const memory = memoryStorage()
    memory.put('app.ui', 0, encodeFrame(0x7f, new TextEncoder().encode('{}')))
    const runtime = open(asAsync(memory))
    await runtime.ready()
    await settled(runtime.persist, 'ui')
    expect(runtime.persist.status(ui).status).toBe('error')
  })
})
