import type { Id } from '../query/types.js'
import type { StoreCell } from '../store/storeCell.js'

interface Pending {
  previous: unknown
  // undefined: some commit replaced the whole state, so every listener must be checked.
  changedIds: Set<Id> | undefined
}

/**
 * One commit = one notification round; inside `batch(fn)` the rounds of every commit fold into
 * one per store, delivered when the outermost batch ends.
 */
export class Notifier {
  private depth = 0
  private readonly pending = new Map<StoreCell, Pending>()
  /**
   * Notifies now, or later inside a batch. Returns how many listeners were called now (devtools
   * show it as the transaction's cost); `undefined` when the round was folded into a batch.
   */
  commit(cell: StoreCell, previous: unknown, changedIds: readonly Id[] | undefined): number | undefined {
    if (this.depth === 0) return this.deliver(cell, previous, changedIds)
    const entry = this.pending.get(cell)
    if (!entry) {
      this.pending.set(cell, { previous, changedIds: changedIds ? new Set(changedIds) : undefined })
    } else if (entry.changedIds) {
      if (changedIds) for (const id of changedIds) entry.changedIds.add(id)
      else entry.changedIds = undefined
    }
    return undefined
  }

  batch<R>(fn: () => R): R {
    this.depth++
    try {
      return fn()
    } finally {
      if (--this.depth === 0) this.flush()
    }
  }

  private flush(): void {
    let failure: { error: unknown } | undefined
    // Rounds may commit again (a listener writing); those notify on their own, after this one.
    const rounds = [...this.pending]
    this.pending.clear()
    for (const [cell, { previous, changedIds }] of rounds) {
      try {
        this.deliver(cell, previous, changedIds)
      } catch (error) {
        failure ??= { error }
      }
    }
    if (failure) throw failure.error
  }

  private deliver(cell: StoreCell, previous: unknown, changedIds: Iterable<Id> | undefined): number {
    return cell.state === previous ? 0 : cell.notify(previous, changedIds)
  }
}
