import { AtomaError } from '../../errors.js'
import type { EntryResult, ExecutionNode, WriteEntry } from '../../execution/ports.js'
import type { AtomaPlugin } from '../../plugin.js'
import type { Id } from '../../query/types.js'
import { queryStored } from '../shared/queryStored.js'
import { resolveEntry, type StoredItem } from '../shared/resolveEntry.js'
import { throwIfAborted } from '../shared/throwIfAborted.js'
import { replayOf, writeBatch } from '../shared/writeBatch.js'
import {
  BY_STORE,
  ITEMS,
  type ItemRecord,
  openDatabase,
  REPLAYS,
  type ReplayRecord,
  SEQUENCES,
  type SequenceRecord,
} from './openDatabase.js'

/** The options of `indexedDbBackend`; only `name` is required. */
export interface IndexedDbBackendOptions {
  /** The IndexedDB database this backend owns; data persists under this name. */
  name: string
  /** The execution node's id (default `indexeddb:${name}`). */
  id?: string
  /** The IndexedDB to use (default `globalThis.indexedDB`; in Node, e.g. fake-indexeddb's). */
  indexedDB?: IDBFactory
}

/**
 * A local backend on IndexedDB (layout: `openDatabase.ts`), with the write semantics every
 * backend shares. The database opens on first use, so creating the plugin where there is no
 * IndexedDB (SSR) is fine until something reads or writes. Each write entry runs in its own
 * readwrite transaction — the read of the stored item, the decision and the write together —
 * so it is atomic and concurrent writers cannot interleave inside it.
 */
export function indexedDbBackend(options: IndexedDbBackendOptions): AtomaPlugin {
  const { name } = options
  const nodeId = options.id ?? `indexeddb:${name}`
  let database: Promise<IDBDatabase> | undefined

  function connect(): Promise<IDBDatabase> {
    if (database !== undefined) return database
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB
    if (factory === undefined) {
      return Promise.reject(
        new AtomaError(
          'TRANSPORT',
          `indexedDbBackend '${name}': there is no IndexedDB here; pass options.indexedDB (in Node, e.g. fake-indexeddb)`,
        ),
      )
    }
    const opening = openDatabase(factory, name).then((db) => {
      // Let another connection upgrade or delete the database, and reopen on next use.
      const forget = () => {
        db.close()
        if (database === opening) database = undefined
      }
      db.onversionchange = forget
      db.onclose = forget
      return db
    })
    // A failed open is not remembered, so the next call tries again.
    opening.catch(() => {
      if (database === opening) database = undefined
    })
    database = opening
    return opening
  }

  const node: ExecutionNode = {
    id: nodeId,
    source: 'local',
    query: async ({ store, query, signal }) => {
      const what = `${nodeId}: the query on store '${store}'`
      throwIfAborted(signal, what)
      const db = await connect()
      const records = await run<ItemRecord[]>(db, [ITEMS], 'readonly', what, (tx) =>
        tx.objectStore(ITEMS).index(BY_STORE).getAll(store),
      )
      return queryStored(what, store, query, signal, records.map(toRow))
    },
    write: async (input) => {
      // Checked before opening too: an aborted call must not even create the database.
      throwIfAborted(input.signal, `${nodeId}: the write to store '${input.store}'`)
      const db = await connect()
      return writeBatch(nodeId, input, (entry) => applyEntry(db, input.store, entry))
    },
  }
  return { name: 'indexeddb-backend', setup: (ctx) => ctx.execution.registerNode(node) }

  function applyEntry(db: IDBDatabase, store: string, entry: WriteEntry): Promise<EntryResult> {
    const what = `${nodeId}: entry ${entry.entryId} on store '${store}'`
    return run<EntryResult>(db, [ITEMS, REPLAYS, SEQUENCES], 'readwrite', what, (tx) => {
      const items = tx.objectStore(ITEMS)
      const replays = tx.objectStore(REPLAYS)
      const sequences = tx.objectStore(SEQUENCES)
      const replay = replays.get([store, entry.idempotencyKey])
      const sequence = sequences.get(store)
      const item = items.get([store, entry.id])
      let result: EntryResult | undefined
      // Requests succeed in the order they were made, so the replay lookup is done by now;
      // deciding inside the callback keeps the transaction open for the writes.
      item.onsuccess = () => {
        const first = replay.result as ReplayRecord | undefined
        if (first !== undefined) {
          result = replayOf(first.result, entry)
          return
        }
        const record = item.result as ItemRecord | undefined
        const resolution = resolveEntry(store, entry, record && toRow(record)[1], () => {
          const version = ((sequence.result as SequenceRecord | undefined)?.version ?? 0) + 1
          sequences.put({ store, version } satisfies SequenceRecord)
          return version
        })
        result = resolution.result
        const { change } = resolution
        if (change?.kind === 'put') {
          const next: ItemRecord = { store, id: entry.id, version: change.version, value: change.value }
          items.put(next)
        } else if (change?.kind === 'delete') {
          items.delete([store, entry.id])
        }
        if (result.status === 'confirmed') {
          const recorded: ReplayRecord = { store, key: entry.idempotencyKey, result }
          replays.put(recorded)
        }
      }
      return () => result!
    })
  }
}

function toRow(record: ItemRecord): readonly [Id, StoredItem] {
  return [record.id, { value: record.value, version: record.version }]
}

/**
 * Runs one transaction and resolves, once it has committed, with what `work` reports: either
 * a request's result or a getter read after commit. A failed or aborted transaction is a
 * `TRANSPORT` failure of the whole call (the kernel may retry it; replays keep that safe).
 */
function run<T>(
  db: IDBDatabase,
  stores: string[],
  mode: IDBTransactionMode,
  what: string,
  work: (tx: IDBTransaction) => IDBRequest | (() => T),
): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown) =>
      reject(new AtomaError('TRANSPORT', `${what} failed in IndexedDB`, { cause }))
    try {
      const tx = db.transaction(stores, mode)
      const outcome = work(tx)
      tx.oncomplete = () => resolve(typeof outcome === 'function' ? outcome() : (outcome.result as T))
      tx.onerror = () => fail(tx.error)
      tx.onabort = () => fail(tx.error)
    } catch (error) {
      fail(error)
    }
  })
}
