import type { TxnView } from './txnView.js'

export type TravelTarget = 'before' | 'after'

/** Where a store was sent by the panel: it shows a transaction's snapshot, not its live state. */
export interface PausedAt {
  label: string
  store: string
  txnId: number
  which: TravelTarget
}

export const pauseKey = (label: string, store: string): string => `${label}\u0000${store}`

/** The app's own transactions of a store, oldest first; the panel's jumps (`devtools`) are not steps. */
export function travelSteps(history: readonly TxnView[]): TxnView[] {
  return history.filter((txn) => txn.origin.kind !== 'devtools')
}

/**
 * A position among the steps: `i` is "after steps[i]", -1 is "before the first". Live is the
 * last position. A paused point whose transaction left the history counts as live.
 */
export function positionOf(steps: readonly TxnView[], paused: PausedAt | undefined): number {
  if (!paused) return steps.length - 1
  const index = steps.findIndex((txn) => txn.txnId === paused.txnId)
  if (index < 0) return steps.length - 1
  return paused.which === 'after' ? index : index - 1
}

/** The snapshot that shows position `position`, or null when there is none. */
export function targetAt(
  steps: readonly TxnView[],
  position: number,
): { txnId: number; which: TravelTarget } | null {
  if (position === -1) {
    const first = steps[0]
    return first ? { txnId: first.txnId, which: 'before' } : null
  }
  const step = steps[position]
  return step ? { txnId: step.txnId, which: 'after' } : null
}
