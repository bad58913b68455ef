import type { EntryResult, WriteEntry } from '@atoma/runtime'
import type { OutboxRecord, OutboxStorage } from './outboxRecord.js'

/** An entry that left the outbox and what the server made of it. */
export interface SettledEntry {
  store: string
  entry: WriteEntry
  result: EntryResult
}

interface Waiter {
  promise: Promise<EntryResult>
  resolve(result: EntryResult): void
}

/**
 * The outbox as this tab sees it: the stored records in order, and the write handles waiting on
 * them. It is the one place entries enter (append, or learnt from storage and other tabs) and
 * leave (settled by a push result, here or in the tab that pushed).
 */
export class Outbox {
  private records: OutboxRecord[] = []
  private readonly byEntry = new Map<string, OutboxRecord>()
  private readonly waiters = new Map<string, Waiter>()
  /** Entries a push is carrying right now. */
  readonly inFlight = new Set<number>()
  private readonly listeners = new Set<() => void>()
  private readonly settledListeners = new Set<(event: SettledEntry) => void>()

  constructor(readonly storage: OutboxStorage) {}

  get size(): number {
    return this.records.length
  }

  list(): readonly OutboxRecord[] {
    return this.records
  }

  has(entryId: string): boolean {
    return this.byEntry.has(entryId)
  }

  record(entryId: string): OutboxRecord | undefined {
    return this.byEntry.get(entryId)
  }

  /** Persists the entries of one write, in order, then holds them. Resolves once they are durable. */
  async append(store: string, entries: readonly WriteEntry[]): Promise<OutboxRecord[]> {
    const write = entries[0]?.entryId ?? ''
    const added = await this.storage.append(
      entries.map((entry) => ({ store, write, entry: structuredClone(entry), attempts: 0 })),
    )
    this.add(added)
    return added
  }

  /** Records appended elsewhere (loaded at start, or another tab's). */
  add(records: readonly OutboxRecord[]): void {
    let changed = false
    for (const record of records) {
      if (this.byEntry.has(record.entry.entryId)) continue
      this.byEntry.set(record.entry.entryId, record)
      this.records.push(record)
      changed = true
    }
    if (!changed) return
    this.records.sort((a, b) => a.seq - b.seq)
    this.changed()
  }

  /** The result an entry's write handle waits for. */
  wait(entryId: string): Promise<EntryResult> {
    let waiter = this.waiters.get(entryId)
    if (!waiter) {
      let resolve!: (result: EntryResult) => void
      const promise = new Promise<EntryResult>((done) => (resolve = done))
      waiter = { promise, resolve }
      this.waiters.set(entryId, waiter)
    }
    return waiter.promise
  }

  /** The entry is done (confirmed, or definitively rejected): out of storage, out of the outbox. */
  async settle(record: OutboxRecord, result: EntryResult): Promise<void> {
    await this.storage.remove([record.seq])
    this.settled(record.entry.entryId, result)
  }

  /** Another tab settled it (or `settle` did): forget it and answer whoever waits. */
  settled(entryId: string, result: EntryResult): void {
    const record = this.byEntry.get(entryId)
    if (record) {
      this.byEntry.delete(entryId)
      this.records = this.records.filter((r) => r !== record)
      this.inFlight.delete(record.seq)
    }
    const waiter = this.waiters.get(entryId)
    this.waiters.delete(entryId)
    waiter?.resolve({ ...result, entryId })
    if (!record) return
    this.changed()
    for (const listener of [...this.settledListeners]) {
      try {
        listener({ store: record.store, entry: record.entry, result: { ...result, entryId } })
      } catch (error) {
        console.error('[atoma] a sync settled listener threw:', error)
      }
    }
  }

  /** Every entry that leaves the outbox, with its result: here, or in the tab that pushed it. */
  onSettled(listener: (event: SettledEntry) => void): () => void {
    this.settledListeners.add(listener)
    return () => {
      this.settledListeners.delete(listener)
    }
  }

  async update(record: OutboxRecord): Promise<void> {
    await this.storage.update(record)
    this.changed()
  }

  /**
   * What may be pushed now, oldest first: per store and id only the first record still waiting
   * (the next goes once this one is confirmed, with the version it leaves), none already in flight.
   */
  pushable(limit: number): OutboxRecord[] {
    const blocked = new Set<string>()
    const out: OutboxRecord[] = []
    for (const record of this.records) {
      const key = keyOf(record.store, record.entry.id)
      if (blocked.has(key)) continue
      blocked.add(key)
      if (this.inFlight.has(record.seq)) continue
      out.push(record)
      if (out.length >= limit) break
    }
    return out
  }

  /** The record after `record` for the same store and id, if any. */
  nextOf(record: OutboxRecord): OutboxRecord | undefined {
    const key = keyOf(record.store, record.entry.id)
    return this.records.find((r) => r.seq > record.seq && keyOf(r.store, r.entry.id) === key)
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

const keyOf = (store: string, id: WriteEntry['id']) => `${store}\u0000${typeof id}\u0000${String(id)}`
