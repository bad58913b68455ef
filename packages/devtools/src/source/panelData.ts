import type {
  DevtoolsInstanceHandle,
  DevtoolsInstanceInfo,
  RuntimeDebugEvent,
  TxnRecord,
} from '@atoma/runtime'
import type { EventIndex } from '../model/eventIndex.js'
import type { Inspectable } from '../model/inspect.js'
import type { TxnView } from '../model/txnView.js'
import type { Travel } from '../travel/travel.js'

/** What every view reads: the live hub, or a recording (read-only, travelled in a runtime rebuilt from it). */
export interface PanelData {
  readonly mode: 'live' | 'recording'
  readonly instances: readonly DevtoolsInstanceInfo[]
  /** Oldest first. */
  readonly events: readonly RuntimeDebugEvent[]
  readonly index: EventIndex
  stateOf(label: string, store: string): Inspectable | undefined
  /** A store's transaction history, oldest first. */
  historyOf(label: string, store: string): readonly TxnView[]
  /** Time travel over these runtimes: the page's, or those rebuilt from the recording. */
  readonly travel: Travel
  /** A travelled record as the views show transactions. */
  viewOf(label: string, record: TxnRecord): TxnView
  /** The live runtime's handle (dispatch, query caches); undefined for recordings. */
  instance(label: string): DevtoolsInstanceHandle | undefined
  /** Rebuilt transactions that are only approximate (a recording's cut values); by txn key. */
  readonly approximate: ReadonlySet<string>
}
