import { webLock } from '../lock.js'
import { type AsyncStorage, concat } from '../storage.js'

/** Options of `indexedDbStorage`; both have defaults. */
export interface IndexedDbStorageOptions {
  /** Database name (default `atoma-journal`). */
  database?: string
  /** The IDBFactory to use (default `indexedDB`; tests pass fake-indexeddb's). */
  indexedDB?: IDBFactory
}

/**
 * IndexedDB as an append log of chunks: one record per append, keyed
 * `[name, generation, offset]`, its value the appended bytes. An append is one readwrite
 * transaction that checks the generation's size (its last chunk) and adds the chunk, so it is
 * atomic even across tabs (IndexedDB runs overlapping readwrite transactions one after the other);
 * `read` gets a generation's chunks in key order and joins them. Durability is the browser's
 * (Chromium commits with `relaxed` durability by default: a completed transaction survives a
 * crash of the tab or the browser, not always a power cut — this driver asks for `strict`).
 */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): AsyncStorage {
  const database = options.database ?? 'atoma-journal'
  const factory = options.indexedDB ?? globalThis.indexedDB
  let opened: Promise<IDBDatabase> | undefined
  const db = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(database, 1)
      request.onupgradeneeded = () => request.result.createObjectStore('chunks')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    }))
  /** Runs `body` in one transaction; resolves with its result once the transaction commits. */
  const transact = async <T>(
    mode: IDBTransactionMode,
    body: (store: IDBObjectStore, done: (value: T) => void) => void,
  ) => {
    const tx = (await db()).transaction('chunks', mode, { durability: 'strict' })
    return new Promise<T>((resolve, reject) => {
      let result: T
      body(tx.objectStore('chunks'), (value) => {
        result = value
      })
      tx.oncomplete = () => resolve(result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'))
    })
  }
  const range = (name: string, generation: number, from = 0) =>
    IDBKeyRange.bound([name, generation, from], [name, generation, Number.POSITIVE_INFINITY])
  /** The generation's size from its last chunk, then `next(size)` in the same transaction. */
  const withSize = (
    store: IDBObjectStore,
    name: string,
    generation: number,
    next: (size: number) => void,
  ) => {
    const request = store.openCursor(range(name, generation), 'prev')
    request.onsuccess = () => {
      const cursor = request.result
      next(
        cursor === null
          ? 0
          : (cursor.key as [string, number, number])[2] + (cursor.value as Uint8Array).length,
      )
    }
  }

  return {
    mode: 'async',
    label: `indexeddb ${database}`,
    generations: (name) =>
      transact<number[]>('readonly', (store, done) => {
        const found: number[] = []
        const request = store.openKeyCursor(
          IDBKeyRange.bound([name, 0, 0], [name, Number.POSITIVE_INFINITY, 0]),
        )
        request.onsuccess = () => {
          const cursor = request.result
          if (cursor === null) return done(found)
          const generation = (cursor.key as [string, number, number])[1]
          found.push(generation)
          cursor.continue([name, generation + 1, 0])
        }
      }),
    read: (name, generation, from) =>
      transact<Uint8Array>('readonly', (store, done) => {
        const parts: Uint8Array[] = []
        const rest = () => {
          const after = store.openCursor(range(name, generation, from))
          after.onsuccess = () => {
            const next = after.result
            if (next === null) return done(parts.length === 0 ? new Uint8Array(0) : concat(parts))
            parts.push(next.value as Uint8Array)
            next.continue()
          }
        }
        if (from === 0) return rest()
        // The chunk that starts before `from` may hold its first bytes; then every chunk from it on.
        const before = store.openCursor(
          IDBKeyRange.bound([name, generation, 0], [name, generation, from], false, true),
          'prev',
        )
        before.onsuccess = () => {
          const cursor = before.result
          if (cursor !== null) {
            const offset = (cursor.key as [string, number, number])[2]
            const bytes = cursor.value as Uint8Array
            if (offset + bytes.length > from) parts.push(bytes.subarray(from - offset))
          }
          rest()
        }
      }),
    append: (name, generation, at, bytes) =>
      transact<boolean>('readwrite', (store, done) => {
        withSize(store, name, generation, (size) => {
          if (size !== at) return done(false)
          store.add(bytes.slice(), [name, generation, at])
          done(true)
        })
      }),
    truncate: (name, generation, size) =>
      transact<void>('readwrite', (store, done) => {
        const request = store.openCursor(range(name, generation))
        request.onsuccess = () => {
          const cursor = request.result
          if (cursor === null) return done()
          const offset = (cursor.key as [string, number, number])[2]
          const bytes = cursor.value as Uint8Array
          if (offset >= size) cursor.delete()
          else if (offset + bytes.length > size) cursor.update(bytes.slice(0, size - offset))
          cursor.continue()
        }
      }),
    remove: (name, generation) =>
      transact<void>('readwrite', (store, done) => {
        store.delete(range(name, generation))
        done()
      }),
    lock: webLock(`indexeddb ${database}`),
  }
}
