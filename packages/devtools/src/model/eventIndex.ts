import type { RuntimeDebugEvent } from '@atoma/runtime'
import { type CausalChain, linkChains } from './causalChain.js'
import { type FlowChain, type Flows, linkFlows, type RunView } from './flowChain.js'
import { type TxnView, txnKey } from './txnView.js'

/** Everything the views look up by transaction, built once per list of events. */
export interface EventIndex {
  /** From `state:update` events, oldest first. */
  readonly txns: readonly TxnView[]
  readonly txnByKey: ReadonlyMap<string, TxnView>
  readonly eventByTxn: ReadonlyMap<string, RuntimeDebugEvent>
  /** `react-render` events per transaction key. */
  readonly rendersByTxn: ReadonlyMap<string, readonly RuntimeDebugEvent[]>
  /** `effectop` events per transaction key (ops whose meta named a txnId). */
  readonly opsByTxn: ReadonlyMap<string, readonly RuntimeDebugEvent[]>
  readonly ops: readonly RuntimeDebugEvent[]
  /** Store names seen in events, sorted. */
  readonly stores: readonly string[]
  /** The write chain a transaction belongs to (linked on first use). */
  chainOf(key: string): CausalChain | undefined
  /** The watcher runs of @atoma/logic (`logic:run` events), oldest first (linked on first use). */
  runs(): readonly RunView[]
  /** The runs a transaction triggered, and the run that wrote it (linked on first use). */
  flowsOf(key: string): { caused: FlowChain | undefined; causedBy: FlowChain | undefined }
}

export function buildEventIndex(
  events: readonly RuntimeDebugEvent[],
  txnOf: (event: RuntimeDebugEvent) => TxnView | undefined,
): EventIndex {
  const txns: TxnView[] = []
  const txnByKey = new Map<string, TxnView>()
  const eventByTxn = new Map<string, RuntimeDebugEvent>()
  const rendersByTxn = new Map<string, RuntimeDebugEvent[]>()
  const opsByTxn = new Map<string, RuntimeDebugEvent[]>()
  const ops: RuntimeDebugEvent[] = []
  const stores = new Set<string>()
  const txnOfEvent = new Map<RuntimeDebugEvent, TxnView>()
  const add = (map: Map<string, RuntimeDebugEvent[]>, key: string, event: RuntimeDebugEvent) => {
    const list = map.get(key)
    if (list) list.push(event)
    else map.set(key, [event])
  }

  for (const event of events) {
    if (event.store !== undefined) stores.add(event.store)
    if (event.kind === 'state:update') {
      const txn = txnOf(event)
      if (!txn) continue
      txns.push(txn)
      txnByKey.set(txn.key, txn)
      eventByTxn.set(txn.key, event)
      txnOfEvent.set(event, txn)
    } else if (event.kind === 'react-render' && event.txnId !== undefined) {
      add(rendersByTxn, txnKey(event.runtimeLabel, event.txnId), event)
    } else if (event.kind === 'effectop') {
      ops.push(event)
      if (event.txnId !== undefined) add(opsByTxn, txnKey(event.runtimeLabel, event.txnId), event)
    }
  }

  let chains: Map<string, CausalChain> | undefined
  let flows: Flows | undefined
  const linkedFlows = () => {
    flows ??= linkFlows(events, txnByKey, rendersByTxn)
    return flows
  }
  return {
    txns,
    txnByKey,
    eventByTxn,
    rendersByTxn,
    opsByTxn,
    ops,
    stores: [...stores].sort(),
    chainOf(key) {
      chains ??= linkChains(events, (event) => txnOfEvent.get(event), opsByTxn, rendersByTxn)
      return chains.get(key)
    },
    runs: () => linkedFlows().runs,
    flowsOf: (key) => linkedFlows().flowsOf(key),
  }
}
