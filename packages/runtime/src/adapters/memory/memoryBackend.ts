import { AtomaError } from '../../errors.js'
import type { AtomaPlugin } from '../../execution/plugin.js'
import type { EntryResult, ExecutionNode, WriteEntry } from '../../execution/ports.js'
import type { Id } from '../../query/types.js'
import { queryStored } from '../shared/queryStored.js'
import { formatId, isId, resolveEntry, type StoredItem } from '../shared/resolveEntry.js'
import { replayOf, writeBatch } from '../shared/writeBatch.js'

/** The options of `memoryBackend`; all optional. */
export interface MemoryBackendOptions {
  /** The execution node's id (default `'memory'`). */
  id?: string
  /** Initial items per store name; each is stored (as a copy) at version 1. */
  seed?: Record<string, readonly unknown[]>
  /**
   * How to read the id of a `seed` item, per store: a field name or a function, as in
   * `defineCollection`'s `key` (default: the field `id`). Only seeding needs it: writes carry
   * their id and queries report the stored one.
   */
  keys?: Record<string, string | ((item: unknown) => Id)>
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
    })
  }

  function applyEntry(store: string, entry: WriteEntry): EntryResult {
    const first = replays.get(store)?.get(entry.idempotencyKey)
    if (first !== undefined) return replayOf(first, entry)
    const table = tableOf(stores, store)
    const { result, change } = resolveEntry(store, entry, table.get(entry.id))
    if (change?.kind === 'put') table.set(entry.id, { value: change.value, version: change.version })
    else if (change?.kind === 'delete') table.delete(entry.id)
    if (result.status === 'confirmed')
      tableOf(replays, store).set(entry.idempotencyKey, structuredClone(result))
    return result
  }

  const node: ExecutionNode = {
    id: nodeId,
    source: 'local',
    query: async ({ store, query, signal }) =>
      queryStored(`${nodeId}: the query on store '${store}'`, store, query, signal, stores.get(store) ?? []),
    write: (input) => writeBatch(nodeId, input, (entry) => applyEntry(input.store, entry)),
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
