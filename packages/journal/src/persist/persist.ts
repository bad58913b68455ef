import { AtomaError, type AtomaPlugin, type PluginRuntime, type StoreDef } from '@atoma/runtime'
import { type JournalStorage, NAME } from '../storage/storage.js'
import { Fields, isPlainObject } from './fields.js'
import {
  type Host,
  type PersistStats,
  type PersistStatus,
  StorePersistence,
  type StoreSettings,
} from './storePersistence.js'

// biome-ignore lint/suspicious/noExplicitAny: a store of state S, whatever its actions.
type StoreOf<S> = StoreDef<S, any>
// biome-ignore lint/suspicious/noExplicitAny: any store, whatever its state and actions.
type AnyStore = StoreDef<any, any>
type StateOf<D> = D extends StoreDef<infer S, infer _P> ? S : never
type KeysOf<S> = S extends object ? keyof S & string : never

/** A store with settings of its own; they win over the plugin's. */
export interface PersistedStore<S = unknown> {
  store: StoreOf<S>
  /** The top-level fields persisted (default: all of them). */
  partialize?: readonly KeysOf<S>[]
  /** The version of the persisted shape of this store. */
  version?: number
  /** Turns what an older version persisted into this version's state (it may return a promise). */
  migrate?: (persisted: unknown, fromVersion: number) => unknown
}

// biome-ignore lint/suspicious/noExplicitAny: an entry for any store; `Checked` types it by its own store.
type Entry = AnyStore | PersistedStore<any>
/** Each entry checked against its own store's state (its `partialize` names fields of that store). */
type Checked<E> = E extends { store: StoreDef<infer S, infer _P> }
  ? PersistedStore<S>
  : E extends AnyStore
    ? E
    : never
type EntryState<E> = E extends { store: infer D } ? StateOf<D> : StateOf<E>

/** Options of `persist()`: the stores, the driver and the journals' name are required. */
export interface PersistOptions<E extends readonly unknown[] = readonly Entry[]> {
  /** The stores to persist (`defineStore` definitions), each in a journal of its own. */
  stores: { [K in keyof E]: Checked<E[K]> }
  /** Where the journals live: `webStorage()` (synchronous hydration), `indexedDbStorage()`, `opfsStorage()`… */
  storage: JournalStorage
  /** Names the journals (`<name>.<store>`) and separates apps that share an origin. */
  name: string
  /** The version of the persisted shape (default 0); an entry's own `version` wins. */
  version?: number
  /**
   * Turns what an older version persisted into this version's state (zustand's `migrate`, with
   * the store's name). Without it, a journal at an older version is left alone and its store
   * starts from its initial state (status `error`).
   */
  migrate?: (persisted: unknown, fromVersion: number, store: string) => unknown
  /** The top-level fields persisted, for every entry that does not name its own. */
  partialize?: readonly KeysOf<EntryState<E[number]>>[]
  /** Commits within this many ms are written as one append (default 0: those of one tick). */
  throttleMs?: number
}

/** `runtime.persist`. */
export interface PersistApi {
  /** The persisted stores' names. */
  readonly stores: readonly string[]
  /** `hydrating` until the store holds what was persisted, then `hydrated` — or `error`. The same object until it changes. */
  status(store: AnyStore | string): PersistStatus
  /** The store's journal: size, last checkpoint, last recovery, commits not durable yet. A new object per call. */
  stats(store: AnyStore | string): PersistStats
  /** Called after every change of a status or of the stats. */
  subscribe(listener: () => void): () => void
  /** Writes what is buffered now; resolves once every commit made so far is durable. */
  flush(store?: AnyStore | string): Promise<void>
  /** Forgets what is persisted and resets the store(s) to their initial state (see the README). */
  clear(store?: AnyStore | string): Promise<void>
}

/**
 * Persists `defineStore` stores in journals: every commit appends its patches — O(change), never
 * the whole state — and opening a store replays its journal into one `hydrate` transaction,
 * before the first render on a synchronous driver. See the README for what is guaranteed.
 */
export function persist<const E extends readonly Entry[]>(
  options: PersistOptions<E>,
): AtomaPlugin<{ persist: PersistApi }> {
  const settings = resolve(options as unknown as PersistOptions)
  const throttleMs = options.throttleMs ?? 0
  const units = new Map<string, StorePersistence>()
  const byJournal = new Map<string, StorePersistence>()
  const listeners = new Set<() => void>()
  let rt: PluginRuntime | undefined
  let channel: BroadcastChannel | undefined
  /** Journals this tab grew since its last message to the others, with their last commit. */
  const grown = new Map<string, number>()
  let detach: (() => void) | undefined

  const unitOf = (store: AnyStore | string, where: string): StorePersistence => {
    const name = typeof store === 'string' ? store : store?.name
    const unit = name === undefined ? undefined : units.get(name)
    if (unit !== undefined) return unit
    throw new AtomaError(
      'UNKNOWN_STORE',
      rt === undefined
        ? `runtime.persist.${where}: the runtime has not started persist yet`
        : `runtime.persist.${where}: store '${String(name)}' is not persisted (persisted: ${[...units.keys()].join(', ')})`,
      { store: String(name) },
    )
  }
  const each = (
    store: AnyStore | string | undefined,
    where: string,
    run: (unit: StorePersistence) => Promise<void>,
  ) =>
    Promise.all(store === undefined ? [...units.values()].map(run) : [run(unitOf(store, where))]).then(
      () => undefined,
    )

  const api: PersistApi = {
    stores: settings.map((s) => s.def.name),
    status: (store) => unitOf(store, 'status').status,
    stats: (store) => unitOf(store, 'stats').stats(),
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    flush: (store) => each(store, 'flush', (unit) => unit.flush()),
    clear: (store) => each(store, 'clear', (unit) => unit.clear()),
  }

  const host = (pluginRuntime: PluginRuntime): Host => ({
    storage: options.storage,
    throttleMs,
    rt: pluginRuntime,
    broadcast(journal, seq) {
      if (channel === undefined) return
      // One message per tick, naming every journal that grew in it: posting costs more than a commit.
      if (grown.size === 0)
        queueMicrotask(() => {
          channel?.postMessage({ grown: [...grown] })
          grown.clear()
        })
      grown.set(journal, Math.max(seq, grown.get(journal) ?? 0))
    },
    changed(unit, milestone) {
      // The devtools mark persisted stores and show their journals from these events.
      if (milestone !== undefined)
        pluginRuntime.runtime.debug?.emit({
          kind: 'lifecycle',
          name: 'persist',
          store: unit.name,
          data: { event: milestone, ...unit.stats() },
        })
      for (const listener of [...listeners]) listener()
    },
  })

  return {
    name: 'persist',
    setup() {},
    extend: { persist: api },
    start(pluginRuntime) {
      if (rt !== undefined)
        throw new AtomaError(
          'INVALID_ARGUMENT',
          'persist: this plugin instance already belongs to a runtime; call persist() once per runtime',
        )
      rt = pluginRuntime
      // The devtools' State view marks persisted stores and shows their journals from this API.
      pluginRuntime.runtime.debug?.expose('persist', api)
      for (const setting of settings) {
        pluginRuntime.runtime.store(setting.def) // the same definition, or UNKNOWN_STORE
        if (setting.fields.partial && !isPlainObject(pluginRuntime.getState(setting.def.name)))
          throw new AtomaError(
            'INVALID_ARGUMENT',
            `persist: store '${setting.def.name}' has partialize, so its state must be an object of fields`,
            { store: setting.def.name },
          )
      }
      const shared = host(pluginRuntime)
      for (const setting of settings) {
        const unit = new StorePersistence(shared, setting)
        units.set(setting.def.name, unit)
        byJournal.set(setting.journal, unit)
      }
      // Other tabs say when a journal grew; this tab reads what they appended.
      if (typeof BroadcastChannel !== 'undefined') {
        channel = new BroadcastChannel(`atoma-journal:${options.storage.label}`)
        ;(channel as { unref?(): void }).unref?.() // Node: a channel must not keep the process alive
        channel.onmessage = (event: MessageEvent) => {
          const { grown: journals } = (event.data ?? {}) as { grown?: unknown }
          if (!Array.isArray(journals)) return
          for (const entry of journals) {
            const [journal, seq] = Array.isArray(entry) ? entry : []
            if (typeof journal === 'string' && Number.isSafeInteger(seq)) byJournal.get(journal)?.follow(seq)
          }
        }
      }
      // A throttled write must not wait for a page that is going away.
      const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>
      if (typeof target.addEventListener === 'function' && typeof document !== 'undefined') {
        const leave = () => {
          if (document.visibilityState !== 'visible') void api.flush().catch(() => undefined)
        }
        target.addEventListener('pagehide', leave)
        document.addEventListener('visibilitychange', leave)
        detach = () => {
          target.removeEventListener?.('pagehide', leave)
          document.removeEventListener('visibilitychange', leave)
        }
      }
      const started = [...units.values()].map((unit) => unit.start()).filter((s) => s instanceof Promise)
      if (started.length > 0) return Promise.all(started).then(() => undefined)
    },
    dispose() {
      detach?.()
      // Cleared first: a post queued in this tick finds no channel instead of a closed one (which throws).
      const closing = channel
      channel = undefined
      closing?.close()
      for (const unit of units.values()) unit.dispose()
      listeners.clear()
    },
  }
}

/** Checks the options now, so a mistake fails where persist() is called, naming the store. */
function resolve(options: PersistOptions): StoreSettings[] {
  const fail = (message: string, store?: string): never => {
    throw new AtomaError('INVALID_ARGUMENT', `persist: ${message}`, store === undefined ? {} : { store })
  }
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  const { storage, name, stores } = options
  if (storage?.mode !== 'sync' && storage?.mode !== 'async')
    fail(
      'storage must be a journal driver (webStorage(), indexedDbStorage(), opfsStorage(), fsStorage(), memoryStorage())',
    )
  if (typeof name !== 'string' || !NAME.test(name))
    fail(`name ${JSON.stringify(name)} is not valid: use letters, digits, '.', '_' and '-'`)
  const throttle = options.throttleMs ?? 0
  if (typeof throttle !== 'number' || !Number.isFinite(throttle) || throttle < 0)
    fail('throttleMs must be a non-negative number')
  if (!Array.isArray(stores) || stores.length === 0) fail('stores must list at least one store')
  const seen = new Set<string>()
  return (stores as readonly unknown[]).map((entry) => {
    const own = (
      typeof entry === 'object' && entry !== null && 'store' in entry ? entry : { store: entry }
    ) as PersistedStore
    const def = own.store as { kind?: unknown; name?: unknown } | undefined
    const store = typeof def?.name === 'string' ? def.name : undefined
    if (def?.kind === 'collection')
      fail(
        `'${store}' is a collection: its data lives in its backend, and the runtime holds only a view of it. ` +
          `Persist it there: memoryBackend({ storage: journalStorage(driver, { name: '${store}' }) }) (journalStorage is in @atoma/journal/persist)`,
        store,
      )
    if (def?.kind !== 'store' || store === undefined) fail('stores must be defineStore() definitions')
    if (seen.has(store!)) fail(`store '${store}' is listed twice`, store)
    seen.add(store!)
    const version = own.version ?? options.version ?? 0
    if (!Number.isSafeInteger(version) || version < 0)
      fail(`store '${store}': version must be a non-negative integer`, store)
    const keys = own.partialize ?? options.partialize
    if (keys !== undefined && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')))
      fail(`store '${store}': partialize must list field names`, store)
    const migrate =
      own.migrate ??
      (options.migrate === undefined
        ? undefined
        : (persisted: unknown, from: number) => options.migrate!(persisted, from, store!))
    if (migrate !== undefined && typeof migrate !== 'function')
      fail(`store '${store}': migrate must be a function`, store)
    const journal = `${name}.${journalSegment(store!)}`
    if (!NAME.test(journal))
      fail(`store '${store}': the journal name '${journal}' is too long (100 characters at most)`, store)
    return {
      def: def as StoreDef<unknown>,
      journal,
      fields: new Fields(keys as readonly string[] | undefined),
      version,
      ...(migrate === undefined ? {} : { migrate }),
    }
  })
}

/** A store name as a journal name segment: letters, digits, `_`, `-` as they are, the rest `.hhhh`. */
function journalSegment(store: string): string {
  return store.replace(/[^A-Za-z0-9_-]/g, (c) => `.${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
