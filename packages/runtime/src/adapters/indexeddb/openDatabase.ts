import { AtomaError } from '../../errors.js'
import type { EntryResult } from '../../execution/ports.js'
import type { Id } from '../../query/types.js'

/**
 * The database layout. Items of every store share one object store, keyed by `[store, id]`:
 * IndexedDB keys keep `1` and `'1'` apart and give them back with their type. The `store`
 * index lists one store's items (a query reads them all: O(store size); field indexes later).
 * Confirmed results are kept by `[store, idempotencyKey]` so that a replay answers with them.
 */
export const ITEMS = 'items'
export const REPLAYS = 'replays'
export const BY_STORE = 'store'
const SCHEMA_VERSION = 1

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
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => fail(request.error)
  })
}
