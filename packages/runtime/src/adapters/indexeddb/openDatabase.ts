import { AtomaError } from '../../errors.js'
import type { EntryResult } from '../../execution/ports.js'
import type { Id } from '../../query/types.js'

/**
 * The database layout. Items of every store share one object store, keyed by `[store, id]`:
 * IndexedDB keys keep `1` and `'1'` apart and give them back with their type. The `store`
 * index lists one store's items (a query reads them all: O(store size); field indexes later).
 * Confirmed results are kept by `[store, idempotencyKey]` so that a replay answers with them.
 * `sequences` holds each store's last version: every change takes the next one (schema 2; a
 * database of schema 1 gets each store's sequence from its highest item version).
 */
export const ITEMS = 'items'
export const REPLAYS = 'replays'
export const SEQUENCES = 'sequences'
export const BY_STORE = 'store'
const SCHEMA_VERSION = 2

export interface SequenceRecord {
  store: string
  version: number
}

export interface ItemRecord {
  store: string
  id: Id
  version: number
  value: unknown
}

export interface ReplayRecord {
  store: string
  key: string
  result: EntryResult
}

/** Opens (creating on first use) the database `name`, or fails with `TRANSPORT`. */
export function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown) =>
      reject(new AtomaError('TRANSPORT', `indexedDbBackend '${name}': cannot open the database`, { cause }))
    let request: IDBOpenDBRequest
    try {
      request = factory.open(name, SCHEMA_VERSION)
    } catch (error) {
      fail(error)
      return
    }
    request.onupgradeneeded = () => {
      const db = request.result
      if (!db.objectStoreNames.contains(ITEMS)) {
        db.createObjectStore(ITEMS, { keyPath: ['store', 'id'] }).createIndex(BY_STORE, 'store')
      }
      if (!db.objectStoreNames.contains(REPLAYS)) db.createObjectStore(REPLAYS, { keyPath: ['store', 'key'] })
      if (!db.objectStoreNames.contains(SEQUENCES)) {
        const sequences = db.createObjectStore(SEQUENCES, { keyPath: 'store' })
        const highest = new Map<string, number>()
        const cursor = request.transaction?.objectStore(ITEMS).openCursor()
        if (cursor)
          cursor.onsuccess = () => {
            const at = cursor.result
            if (at) {
              const item = at.value as ItemRecord
              highest.set(item.store, Math.max(highest.get(item.store) ?? 0, item.version))
              at.continue()
            } else
              for (const [store, version] of highest)
                sequences.put({ store, version } satisfies SequenceRecord)
          }
      }
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => fail(request.error)
  })
}
