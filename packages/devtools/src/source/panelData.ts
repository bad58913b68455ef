import type { DevtoolsInstanceInfo, RuntimeDebugEvent } from '@atoma/runtime'
import type { EventIndex } from '../model/eventIndex.js'
import type { Inspectable } from '../model/inspect.js'
import type { TravelTarget } from '../model/timeTravel.js'
import type { TxnView } from '../model/txnView.js'

/** What every view reads: the live hub, or a recording (read-only: no `travel`). */
export interface PanelData {
  readonly mode: 'live' | 'recording'
  readonly instances: readonly DevtoolsInstanceInfo[]
  /** Oldest first. */
  readonly events: readonly RuntimeDebugEvent[]
  readonly index: EventIndex
  stateOf(label: string, store: string): Inspectable | undefined
  /** A store's transaction history, oldest first. */
  historyOf(label: string, store: string): readonly TxnView[]
  /** Sets a store to a transaction's snapshot through the runtime; null for recordings. */
  readonly travel: ((label: string, txnId: number, which: TravelTarget) => void) | null
}
