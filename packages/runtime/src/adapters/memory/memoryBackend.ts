import { AtomaError } from '../../errors.js'
import type { EntryResult, ExecutionNode, WriteEntry } from '../../execution/ports.js'
import type { AtomaPlugin } from '../../plugin.js'
import type { Id } from '../../query/types.js'
import { queryStored } from '../shared/queryStored.js'
import { formatId, isId, resolveEntry, type StoredItem } from '../shared/resolveEntry.js'
import { replayOf, writeBatch } from '../shared/writeBatch.js'

/** The options of `memoryBackend`; all optional. */
export interface MemoryBackendOptions {
  /** The execution node's id (default `'memory'`). */
  id?: string
  /** Initial items per store name; each is stored (as a copy) at version 1, the store's sequence after them. */
  seed?: Record<string, readonly unknown[]>
  /**
   * How to read the id of a `seed` item, per store: a field name or a function, as in
   * `defineCollection`'s `key` (default: the field `id`). Only seeding needs it: writes carry
   * their id and queries report the stored one.
   */
  keys?: Record<string, string | ((item: unknown) => Id)>
  /**
   * Makes the data durable (a journal, see `@atoma/journal`): the rows are loaded once before the
   * first query or write is answered, and every write's changes are saved before it is confirmed.
   * `seed` applies only when the storage holds nothing yet.
   */
  storage?: MemoryStorage
}

/** One item as the memory backend keeps it; `value` absent means deleted. */
export interface MemoryRow {
  store: string
  id: Id
  value?: unknown
  version: number
}

/** Where a memory backend keeps its rows across reloads. */
export interface MemoryStorage {
  /** Every row there is (deleted ones too, so the version sequence resumes above them). */
  load(): Iterable<MemoryRow> | Promise<Iterable<MemoryRow>>
  /** The changes of one write, in order; the write is confirmed only once this returns (or resolves). */
  save(changes: readonly MemoryRow[]): void | Promise<void>
}

/**
 * An in-process local backend: items per store in Maps (so `1` and `'1'` are different ids),
 * queried with the same evaluator as the runtime, written with the semantics every backend
 * shares. Data lives as long as the plugin instance and is shared by every runtime it is set
 * up in. Every value goes in and comes out as a structured copy.
 */
export function memoryBackend(options: MemoryBackendOptions = {}): AtomaPlugin {
  const nodeId = options.id ?? 'memory'
  const stores = new Map<string, Map<Id, StoredItem>>()
  // store → the last version its sequence gave (every change takes the next; none is reused).
  const sequences = new Map<string, number>()
  /** The confirmed result of every idempotency key, per store, for the plugin's lifetime. */
  const replays = new Map<string, Map<string, EntryResult>>()
  const tableOf = <K, V>(tables: Map<string, Map<K, V>>, store: string) => {
    let table = tables.get(store)
    if (table === undefined) {
      table = new Map()
      tables.set(store, table)
    }
    return table
  }

  const seed = () => {
    for (const [store, items] of Object.entries(options.seed ?? {})) {
      const table = tableOf(stores, store)
      const keyOf = seedKey(store, options.keys?.[store] ?? 'id')
      items.forEach((item, index) => {
        const id = keyOf(item, index)
        if (table.has(id)) {
          throw new AtomaError(
            'INVALID_ARGUMENT',
            `memoryBackend seed: store '${store}' has id ${formatId(id)} twice`,
          )
        }
        table.set(id, { value: structuredClone(item), version: 1 })
        sequences.set(store, 1)
      })
    }
  }
  const { storage } = options
  // Loaded once; until then every call waits (and a failed load fails every call, clearly).
  const loaded = storage
    ? Promise.resolve()
        .then(() => storage.load())
        .then(fill)
    : undefined
  if (!storage) seed()

  function fill(rows: Iterable<MemoryRow>): void {
    let any = false
    for (const row of rows) {
      if (typeof row?.store !== 'string' || !isId(row.id) || !Number.isSafeInteger(row.version))
        throw new AtomaError('VALIDATION', `memoryBackend storage: a loaded row is malformed`)
      any = true
      // A deleted row still moved the sequence: the next version must be above it.
      sequences.set(row.store, Math.max(sequences.get(row.store) ?? 0, row.version))
      if (row.value === undefined) tableOf(stores, row.store).delete(row.id)
      else tableOf(stores, row.store).set(row.id, { value: row.value, version: row.version })
    }
    if (!any) seed()
  }

  function applyEntry(
    store: string,
    entry: WriteEntry,
    changes: MemoryRow[],
    undo: (() => void)[],
  ): EntryResult {
    const first = replays.get(store)?.get(entry.idempotencyKey)
    if (first !== undefined) return replayOf(first, entry)
    const table = tableOf(stores, store)
    const previous = table.get(entry.id)
    const { result, change } = resolveEntry(store, entry, previous, () => {
      const version = (sequences.get(store) ?? 0) + 1
      sequences.set(store, version)
      return version
    })
    if (change) {
      if (change.kind === 'put') table.set(entry.id, { value: change.value, version: change.version })
      else table.delete(entry.id)
      undo.push(() => (previous ? table.set(entry.id, previous) : table.delete(entry.id)))
      const version = result.status === 'confirmed' ? (result.version ?? 0) : 0
      changes.push(
        change.kind === 'put'
          ? { store, id: entry.id, value: change.value, version }
          : { store, id: entry.id, version },
      )
    }
    if (result.status === 'confirmed')
      tableOf(replays, store).set(entry.idempotencyKey, structuredClone(result))
    return result
  }

  const node: ExecutionNode = {
    id: nodeId,
    source: 'local',
    async query({ store, query, signal }) {
      await loaded
      return queryStored(
        `${nodeId}: the query on store '${store}'`,
        store,
        query,
        signal,
        stores.get(store) ?? [],
      )
    },
    async write(input) {
      await loaded
      const changes: MemoryRow[] = []
      const undo: (() => void)[] = []
      const output = await writeBatch(nodeId, input, (entry) => applyEntry(input.store, entry, changes, undo))
      if (!storage || changes.length === 0) return output
      try {
        await storage.save(changes)
      } catch (error) {
        // Not durable, so not confirmed: the tables go back to what storage holds.
        for (const step of undo.reverse()) step()
        for (const entry of input.entries) replays.get(input.store)?.delete(entry.idempotencyKey)
        throw new AtomaError(
          'TRANSPORT',
          `${nodeId}: the write to '${input.store}' could not be saved: ${String(error)}`,
          {
            retryable: true,
            cause: error,
          },
        )
      }
      return output
    },
  }
  return { name: 'memory-backend', setup: (ctx) => ctx.execution.registerNode(node) }
}

function seedKey(store: string, key: string | ((item: unknown) => Id)): (item: unknown, index: number) => Id {
  return (item, index) => {
    const where = `memoryBackend seed: item ${index} of store '${store}'`
    // Stored items are objects, as writes ensure (queries read fields of them).
    if (typeof item !== 'object' || item === null) {
      throw new AtomaError('INVALID_ARGUMENT', `${where} is not an object`)
    }
    const id = typeof key === 'function' ? key(item) : (item as Record<string, unknown>)[key]
    if (!isId(id)) {
      const source = typeof key === 'function' ? 'its key function' : `'${key}'`
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `${where} has no usable id in ${source} (a string or a finite number)`,
      )
    }
    return id
  }
}
