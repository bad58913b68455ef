import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'

/** Why a transaction ran (DESIGN §3, contract). */
export type OriginKind =
  | 'action'
  | 'optimistic'
  | 'writeback'
  | 'rollback'
  | 'query'
  | 'sync'
  | 'hydrate'
  | 'devtools'

export interface TxnOrigin {
  kind: OriginKind
  name?: string
  opId?: string
}

/** One committed transaction (DESIGN §3, contract). Under `light` instrumentation `patches`,
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

export type Instrumentation = 'full' | 'light'
