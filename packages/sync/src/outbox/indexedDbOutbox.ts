import type { OutboxRecord, OutboxStorage } from './outboxRecord.js'

/** Options of `indexedDbOutbox`. */
export interface IndexedDbOutboxOptions {
  /** The outbox's name: one database per name (`atoma-sync:<name>`), shared by the tabs of an origin. */
  name: string
  /** The IndexedDB to use (default `globalThis.indexedDB`; tests pass fake-indexeddb's). */
  indexedDB?: IDBFactory
}

const OUTBOX = 'outbox'
const QUARANTINE = 'quarantine'

/**
 * The outbox in IndexedDB: records keyed by an auto-incremented `seq`, so appends from several
 * tabs interleave in one order; unreadable records set aside in a
 * quarantine store. Every call is one transaction, complete (durable) when its promise resolves.
 */
export function indexedDbOutbox(options: IndexedDbOutboxOptions): OutboxStorage {
  const factory = options.indexedDB ?? globalThis.indexedDB
  if (!factory) throw new Error('indexedDbOutbox: no IndexedDB here; use the memory outbox')
  const opened = new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(`atoma-sync:${options.name}`, 1)
    request.onupgradeneeded = () => {
      const db = request.result
      db.createObjectStore(OUTBOX, { keyPath: 'seq', autoIncrement: true })
      db.createObjectStore(QUARANTINE, { autoIncrement: true })
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
    request.onblocked = () =>
      reject(new Error(`the outbox '${options.name}' is blocked by an older version in another tab`))
  })

  async function run<T>(
    stores: string[],
    mode: IDBTransactionMode,
    body: (tx: IDBTransaction) => T,
  ): Promise<T> {
    const db = await opened
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(stores, mode)
      let result: T
      tx.oncomplete = () => resolve(result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error ?? new Error('the outbox transaction was aborted'))
      result = body(tx)
    })
  }
  const all = (request: IDBRequest<unknown[]>, into: { value: unknown[] }) => {
    request.onsuccess = () => {
      into.value = request.result
    }
  }

  return {
    shared: true,
    async load() {
      const records = { value: [] as unknown[] }
      await run([OUTBOX], 'readonly', (tx) => all(tx.objectStore(OUTBOX).getAll(), records))
      return records.value
    },
    async append(records) {
      const added: OutboxRecord[] = []
      await run([OUTBOX], 'readwrite', (tx) => {
        const store = tx.objectStore(OUTBOX)
        for (const record of records) {
          const request = store.add(record)
          request.onsuccess = () => added.push({ ...record, seq: request.result as number })
        }
      })
      return added.sort((a, b) => a.seq - b.seq)
    },
    update: (record) =>
      run([OUTBOX], 'readwrite', (tx) => {
        tx.objectStore(OUTBOX).put(record)
      }),
    remove: (seqs) =>
      run([OUTBOX], 'readwrite', (tx) => {
        for (const seq of seqs) tx.objectStore(OUTBOX).delete(seq)
      }),
    quarantine: (raw, reason) =>
      run([OUTBOX, QUARANTINE], 'readwrite', (tx) => {
        tx.objectStore(QUARANTINE).add({ raw, reason, at: Date.now() })
        const seq = (raw as { seq?: unknown } | null)?.seq
        if (typeof seq === 'number') tx.objectStore(OUTBOX).delete(seq)
      }),
    close() {
      void opened.then(
        (db) => db.close(),
        () => {},
      )
    },
  }
}
