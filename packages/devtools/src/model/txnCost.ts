import type { EventIndex } from './eventIndex.js'
import type { ByteCount } from './patchBytes.js'
import type { TxnView } from './txnView.js'

/** What one transaction cost the app, from data only the hub has in one place. */
export interface TxnCost {
  /** Store listeners the commit notified (undefined when its event is gone from the buffer). */
  listeners: number | undefined
  /** `react-render` events that name this transaction. */
  renders: number
  /** Components that rendered, by name, with how often. */
  components: ReadonlyArray<readonly [string, number]>
  patches: number
  bytes: ByteCount
}

export function txnCost(txn: TxnView, index: EventIndex): TxnCost {
  const renders = index.rendersByTxn.get(txn.key) ?? []
  const components = new Map<string, number>()
  for (const render of renders) {
    const name = render.name ?? 'anonymous'
    components.set(name, (components.get(name) ?? 0) + 1)
  }
  return {
    listeners: txn.listeners,
    renders: renders.length,
    components: [...components],
    patches: txn.patchCount,
    bytes: txn.patchBytes(),
  }
}
