import type { RuntimeDebugEvent } from '@atoma/runtime'
import { opDataOf } from './eventData.js'
import { type TxnId, type TxnView, txnKey } from './txnView.js'

/**
 * One write from start to end (docs/architecture.md §4): the optimistic transaction, the `<store>/write` service
 * op that carried it to the backend, the writeback and/or rollback that settled it, every EffectOp
 * about those transactions and the renders they caused.
 */
export interface CausalChain {
  readonly optimistic: TxnView | undefined
  readonly service: RuntimeDebugEvent | undefined
  readonly settles: readonly TxnView[]
  readonly ops: readonly RuntimeDebugEvent[]
  readonly renders: readonly RuntimeDebugEvent[]
}

interface Building {
  optimistic: TxnView | undefined
  service: RuntimeDebugEvent | undefined
  settles: TxnView[]
}

/**
 * Links the write chains of a list of events (oldest first), O(events).
 *
 * A writeback or rollback names its write in `origin.opId`; the optimistic transaction does not
 * (unless a runtime adds it, which is used first). The link then goes through the service op: it
 * carries the optimistic txnId in its meta and settles before the writeback commits, so the
 * settling transaction belongs to the oldest write of that store whose service op has settled, that
 * is not settled yet and whose planned ids include the ids it settles. Overlapping writes to the same
 * ids are sent one after another by the runtime, so this order is unambiguous. Both transactions of
 * a partial write (writeback and rollback) share the opId and land in one chain.
 */
export function linkChains(
  events: readonly RuntimeDebugEvent[],
  txnOf: (event: RuntimeDebugEvent) => TxnView | undefined,
  opsByTxn: ReadonlyMap<string, readonly RuntimeDebugEvent[]>,
  rendersByTxn: ReadonlyMap<string, readonly RuntimeDebugEvent[]>,
): Map<string, CausalChain> {
  const chains: Building[] = []
  const byOptimistic = new Map<string, Building>()
  const byOpId = new Map<string, Building>()
  const opKey = (label: string, store: string, opId: string) => `${label}\u0000${store}\u0000${opId}`

  for (const event of events) {
    if (event.kind === 'effectop') {
      const data = opDataOf(event)
      const chain =
        event.txnId === undefined ? undefined : byOptimistic.get(txnKey(event.runtimeLabel, event.txnId))
      if (chain && data?.opKind === 'service' && event.name === `${chain.optimistic?.store}/write`)
        chain.service = event
      continue
    }
    const txn = event.kind === 'state:update' ? txnOf(event) : undefined
    if (!txn) continue
    const { kind, opId } = txn.origin
    if (kind === 'optimistic') {
      const chain: Building = { optimistic: txn, service: undefined, settles: [] }
      chains.push(chain)
      byOptimistic.set(txn.key, chain)
      if (opId !== undefined) byOpId.set(opKey(txn.label, txn.store, opId), chain)
      continue
    }
    if ((kind !== 'writeback' && kind !== 'rollback') || opId === undefined) continue
    const key = opKey(txn.label, txn.store, opId)
    let chain = byOpId.get(key) ?? pendingFor(chains, txn, true) ?? pendingFor(chains, txn, false)
    if (!chain) {
      // The optimistic transaction was evicted from the buffer before this one arrived.
      chain = { optimistic: undefined, service: undefined, settles: [] }
      chains.push(chain)
    }
    chain.settles.push(txn)
    byOpId.set(key, chain)
  }

  const linked = new Map<string, CausalChain>()
  for (const chain of chains) {
    const txns = [chain.optimistic, ...chain.settles].filter((txn): txn is TxnView => txn !== undefined)
    const ops = txns.flatMap((txn) => opsByTxn.get(txn.key) ?? [])
    if (chain.service && !ops.includes(chain.service)) ops.push(chain.service)
    ops.sort((a, b) => a.eventId - b.eventId)
    const done: CausalChain = {
      optimistic: chain.optimistic,
      service: chain.service,
      settles: chain.settles,
      ops,
      renders: txns.flatMap((txn) => rendersByTxn.get(txn.key) ?? []),
    }
    for (const txn of txns) linked.set(txn.key, done)
  }
  return linked
}

/** The oldest unsettled write of the same runtime and store that planned every id `settle` changes. */
function pendingFor(
  chains: readonly Building[],
  settle: TxnView,
  serviceSettled: boolean,
): Building | undefined {
  return chains.find(
    (chain) =>
      chain.optimistic !== undefined &&
      chain.settles.length === 0 &&
      chain.optimistic.origin.opId === undefined &&
      chain.optimistic.label === settle.label &&
      chain.optimistic.store === settle.store &&
      (chain.service !== undefined) === serviceSettled &&
      covers(chain.optimistic.changedIds, settle.changedIds),
  )
}

function covers(planned: readonly TxnId[] | undefined, settled: readonly TxnId[] | undefined): boolean {
  if (!planned || !settled) return true
  const ids = new Set(planned)
  return settled.every((id) => ids.has(id))
}
