import type { RuntimeDebugEvent } from '@atoma/runtime'
import { opDataOf, type RunData, runDataOf } from './eventData.js'
import { type TxnView, txnKey } from './txnView.js'

/** One watcher run of @atoma/logic, from its `logic:run` event. */
export interface RunView {
  readonly event: RuntimeDebugEvent
  readonly data: RunData
  /** The commit that triggered it (an action's, or the state change an `onState` watcher saw). */
  readonly triggerKey: string | undefined
  /** The commits it made, in order. */
  readonly writeKeys: readonly string[]
}

/** A commit in a chain: found in the event buffer, or only known by its id (evicted). */
export interface ChainTxn {
  readonly key: string
  readonly txnId: number
  readonly txn: TxnView | undefined
  readonly renders: readonly RuntimeDebugEvent[]
}

export interface FlowRun {
  readonly run: RunView
  /** Its `flow` op on the bus, when in the buffer: what the middleware stack saw. */
  readonly op: RuntimeDebugEvent | undefined
  readonly writes: readonly ChainTxn[]
}

/**
 * What logic did after one commit: the commit (an action's), each watcher run it triggered, the
 * commits each run made and the renders of each commit — action → run → writes → renders.
 */
export interface FlowChain {
  /** Undefined for runs no commit triggered (a `$.on` source's). */
  readonly trigger: ChainTxn | undefined
  readonly runs: readonly FlowRun[]
}

export interface Flows {
  readonly runs: readonly RunView[]
  /** The chain a transaction belongs to: the runs it triggered, and the run that wrote it. */
  flowsOf(key: string): { caused: FlowChain | undefined; causedBy: FlowChain | undefined }
}

/**
 * Links `logic:run` events (oldest first) to the commits they name, O(events). A run's event names
 * the commit that triggered it (`txnId`), its op (`opId`) and the commits it wrote (`writes`), so
 * nothing here is guessed.
 */
export function linkFlows(
  events: readonly RuntimeDebugEvent[],
  txnByKey: ReadonlyMap<string, TxnView>,
  rendersByTxn: ReadonlyMap<string, readonly RuntimeDebugEvent[]>,
): Flows {
  const runs: RunView[] = []
  const byTrigger = new Map<string, RunView[]>()
  const byWrite = new Map<string, RunView>()
  const flowOps = new Map<string, RuntimeDebugEvent>()
  for (const event of events) {
    if (event.kind === 'effectop') {
      const op = opDataOf(event)
      if (op?.opKind === 'flow') flowOps.set(`${event.runtimeLabel}\u0000${op.opId}`, event)
      continue
    }
    const data = runDataOf(event)
    if (!data) continue
    const label = event.runtimeLabel
    const run: RunView = {
      event,
      data,
      triggerKey: event.txnId === undefined ? undefined : txnKey(label, event.txnId),
      writeKeys: data.writes.map((id) => txnKey(label, id)),
    }
    runs.push(run)
    if (run.triggerKey !== undefined) {
      const list = byTrigger.get(run.triggerKey)
      if (list) list.push(run)
      else byTrigger.set(run.triggerKey, [run])
    }
    for (const key of run.writeKeys) byWrite.set(key, run)
  }

  const chainTxn = (key: string, txnId: number): ChainTxn => ({
    key,
    txnId,
    txn: txnByKey.get(key),
    renders: rendersByTxn.get(key) ?? [],
  })
  const flowRun = (run: RunView): FlowRun => ({
    run,
    op:
      run.data.opId === undefined
        ? undefined
        : flowOps.get(`${run.event.runtimeLabel}\u0000${run.data.opId}`),
    writes: run.writeKeys.map((key, at) => chainTxn(key, run.data.writes[at] as number)),
  })
  const chainOf = (
    triggerKey: string | undefined,
    triggerId: number | undefined,
    list: readonly RunView[],
  ) => ({
    trigger:
      triggerKey === undefined || triggerId === undefined ? undefined : chainTxn(triggerKey, triggerId),
    runs: list.map(flowRun),
  })

  return {
    runs,
    flowsOf(key) {
      const triggered = byTrigger.get(key)
      const writer = byWrite.get(key)
      const trigger = writer?.triggerKey
      return {
        caused: triggered ? chainOf(key, triggered[0]?.event.txnId, triggered) : undefined,
        causedBy: writer
          ? chainOf(
              trigger,
              writer.event.txnId,
              trigger === undefined ? [writer] : (byTrigger.get(trigger) ?? []),
            )
          : undefined,
      }
    },
  }
}
