import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'

/** Why a transaction ran (docs/architecture.md §3, contract). */
export type OriginKind =
  | 'action'
  | 'optimistic'
  | 'writeback'
  | 'rollback'
  | 'query'
  | 'sync'
  | 'hydrate'
  | 'devtools'

/** Why a transaction ran: its kind, and the action or op that caused it. */
export interface TxnOrigin {
  kind: OriginKind
  name?: string
  opId?: string
}

/** One committed transaction (docs/architecture.md §3, contract). Under `light` instrumentation `patches`,
 * `inversePatches`, `before` and `after` are not kept (empty arrays / undefined). */
export interface TxnRecord<S = unknown> {
  txnId: number
  store: string
  origin: TxnOrigin
  patches: readonly Patch[]
  inversePatches: readonly Patch[]
  changedIds?: readonly Id[]
  before: S | undefined
  after: S | undefined
  startedAt: number
  durationMs: number
}

/** How much a transaction records: `full` keeps patches and snapshots, `light` neither. */
export type Instrumentation = 'full' | 'light'
