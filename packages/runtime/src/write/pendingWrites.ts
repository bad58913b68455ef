import type { Id } from '../query/types.js'
import { type PlanEntry, replay } from './plan.js'

export interface PendingWrite<T> {
  writeId: number
  entries: PlanEntry<T>[]
  /** Settles when the write is confirmed or rolled back; later overlapping writes wait on it. */
  settled: Promise<void>
}

/**
 * The confirmed base and the ordered pending optimistic writes of one collection (docs/architecture.md §4).
 * Visible state = base + pending, applied in order. The base is kept only for ids that have
 * pending writes: for every other id the visible value IS the confirmed one, so nothing is
 * stored twice and the cost stays proportional to what is in flight, not to the collection.
 */
export class PendingWrites<T> {
  private readonly writes: PendingWrite<T>[] = []
  // id → the confirmed value under its pending entries (undefined = absent on the server).
  private readonly base = new Map<Id, T | undefined>()
  // id → its pending entries, in write order.
  private readonly byId = new Map<Id, PlanEntry<T>[]>()
  /** Server versions of confirmed items, sent back as `baseVersion`. */
  readonly versions = new Map<Id, number>()
  // id → the version at which a pull saw it deleted. A sync server keeps one sequence per store
  // that never restarts, so data about the id from below it is stale: a late confirmation of its
  // create (a lost answer replayed) must not bring a deleted item back.
  private readonly tombstones = new Map<Id, number>()
  // The version through which the base holds every server change of the store (sync pulls):
  // below it, what the base lacks was deleted, so it is a tombstone for every id at once.
  private through = 0
  private lastWriteId = 0
  // Bumped by every settle that confirmed something; lets a query that started earlier know
  // which items it could not have seen (so it does not remove them).
  private epoch = 0
  private readonly confirmedAt = new Map<Id, number>()
  // id → its pending-state listeners and the state they last heard; ids whose state may have
  // flipped since the last `notify` (a write and its settle both touch the same few ids).
  private readonly watchers = new Map<Id, { pending: boolean; listeners: Set<(pending: boolean) => void> }>()
  private readonly flipped = new Set<Id>()

  /** Whether `version` of `id` is older than what the base already knows (and then teaches nothing). */
  stale(id: Id, version: number | undefined): boolean {
    const known = this.versions.get(id) ?? this.tombstones.get(id)
    return version !== undefined && known !== undefined && version < known
  }

  /**
   * Whether an answer to one of our writes about `id` at `version` is old news: stale, or at or
   * below the version the base holds every change through. Only for write answers: a query may
   * still bring an item the base lost by other means (a replaced state).
   */
  superseded(id: Id, version: number | undefined): boolean {
    return this.stale(id, version) || (version !== undefined && version <= this.through)
  }

  /** The base now holds every server change up to `version` (it never moves back). */
  hold(version: number): void {
    this.through = Math.max(this.through, version)
  }

  /** Records the server's version of `id`, alive or `deleted` (an unversioned answer keeps what is known). */
  learn(id: Id, version: number | undefined, deleted: boolean): void {
    if (deleted) {
      this.versions.delete(id)
      if (version !== undefined) this.tombstones.set(id, version)
    } else if (version !== undefined) {
      this.versions.set(id, version)
      this.tombstones.delete(id)
    }
  }

  /** A mark to pass to `confirmedSince` later. */
  get mark(): number {
    return this.epoch
  }

  /** Whether a write confirmed `id` after `mark` was taken. */
  confirmedSince(id: Id, mark: number): boolean {
    return (this.confirmedAt.get(id) ?? 0) > mark
  }

  get size(): number {
    return this.writes.length
  }

  has(id: Id): boolean {
    return this.byId.has(id)
  }

  /**
   * Records a write that is being applied optimistically. `visible(id)` is each id's value before
   * it; the write waits for `after` (the earlier writes it overlaps) before it is sent.
   */
  add(entries: PlanEntry<T>[], visible: (id: Id) => T | undefined, settled: Promise<void>): PendingWrite<T> {
    const write: PendingWrite<T> = { writeId: ++this.lastWriteId, entries, settled }
    for (const entry of entries) {
      let list = this.byId.get(entry.id)
      if (!list) {
        // First pending entry on this id: what is visible now is confirmed.
        this.base.set(entry.id, visible(entry.id))
        list = []
        this.byId.set(entry.id, list)
        this.flipped.add(entry.id)
      }
      list.push(entry)
    }
    this.writes.push(write)
    return write
  }

  /** Pending writes added before `write` that touch any of its ids: it is sent after they settle. */
  earlierOverlapping(write: PendingWrite<T>): PendingWrite<T>[] {
    const ids = new Set(write.entries.map((e) => e.id))
    const out: PendingWrite<T>[] = []
    for (const other of this.writes) {
      if (other === write) break
      if (other.entries.some((e) => ids.has(e.id))) out.push(other)
    }
    return out
  }

  /**
   * Ends a write: `confirmed` holds the server's value for each confirmed id (undefined when it
   * is deleted); every other entry of the write is dropped. Returns the new visible value of each
   * id the write touched: its base replayed with the entries still pending — a rebase.
   */
  settle(write: PendingWrite<T>, confirmed: ReadonlyMap<Id, T | undefined>): Map<Id, T | undefined> {
    if (confirmed.size > 0) this.epoch++
    for (const [id, value] of confirmed) {
      this.base.set(id, value)
      this.confirmedAt.set(id, this.epoch)
    }
    const index = this.writes.indexOf(write)
    if (index >= 0) this.writes.splice(index, 1)
    const next = new Map<Id, T | undefined>()
    for (const entry of write.entries) {
      const list = this.byId.get(entry.id)
      const at = list ? list.indexOf(entry) : -1
      if (list && at >= 0) list.splice(at, 1)
      next.set(entry.id, this.rebased(entry.id))
    }
    return next
  }

  /** Server data (query results, sync) lands on the base; pending entries are re-applied on top. */
  land(items: ReadonlyMap<Id, T | undefined>): Map<Id, T | undefined> {
    const next = new Map<Id, T | undefined>()
    for (const [id, value] of items) {
      if (this.byId.has(id)) {
        this.base.set(id, value)
        next.set(id, this.rebased(id))
      } else next.set(id, value)
    }
    return next
  }

  /** Calls `listener` with `has(id)` whenever it changes, at the next `notify`. */
  watch(id: Id, listener: (pending: boolean) => void): () => void {
    let watcher = this.watchers.get(id)
    if (!watcher) {
      watcher = { pending: this.has(id), listeners: new Set() }
      this.watchers.set(id, watcher)
    }
    const { listeners } = watcher
    const entry = (pending: boolean) => listener(pending)
    listeners.add(entry)
    return () => {
      listeners.delete(entry)
      if (listeners.size === 0 && this.watchers.get(id)?.listeners === listeners) this.watchers.delete(id)
    }
  }

  /**
   * Tells watchers of the ids whose pending state changed since the last call. The write chain
   * calls it after its commits, so a listener reads the entity and its pending state in step.
   */
  notify(): void {
    if (this.flipped.size === 0) return
    const ids = [...this.flipped]
    this.flipped.clear()
    for (const id of ids) {
      const watcher = this.watchers.get(id)
      const pending = this.has(id)
      if (!watcher || watcher.pending === pending) continue
      watcher.pending = pending
      for (const listener of [...watcher.listeners]) {
        try {
          listener(pending)
        } catch (error) {
          console.error(`[atoma] a pending-state listener of '${String(id)}' threw:`, error)
        }
      }
    }
  }

  /** Ids with writes in flight. */
  ids(): IterableIterator<Id> {
    return this.byId.keys()
  }

  /** The confirmed value of an id (what the server last said), given its visible value. */
  confirmedOf(id: Id, visible: T | undefined): T | undefined {
    return this.base.has(id) ? this.base.get(id) : visible
  }

  private rebased(id: Id): T | undefined {
    let value = this.base.get(id)
    const list = this.byId.get(id)
    if (!list || list.length === 0) {
      // Nothing pending any more: the base is simply the visible value again.
      if (this.byId.delete(id)) this.flipped.add(id)
      this.base.delete(id)
      return value
    }
    for (const entry of list) value = replay(entry, value)
    return value
  }
}
