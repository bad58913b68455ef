import type { OpRunner } from '../bus/composeMiddleware.js'
import type { QueryExecutionPort, WriteExecutionPort } from '../execution/ports.js'
import type { Transactor } from '../txn/transactor.js'
import type { PendingWrites } from '../write/pendingWrites.js'
import type { CollectionDef } from './defineCollection.js'
import type { EntityMap } from './entityMap.js'
import type { StoreCell } from './storeCell.js'

/** Everything the read and write flows of one collection share inside one runtime. */
export interface CollectionContext<T> {
  def: CollectionDef<T>
  cell: StoreCell<EntityMap<T>>
  transactor: Transactor
  batch: <R>(fn: () => R) => R
  pending: PendingWrites<T>
  reads: QueryExecutionPort
  /** `queued`: the policy's write node orders writes per id itself (see `PolicyDefinition.queued`). */
  writes: WriteExecutionPort & { readonly queued: boolean }
  /** The EffectOp stack (null when empty): backend calls run through it as `service` ops. */
  runOp: OpRunner | null
}

/** Runs a backend call as a `service` EffectOp so middleware and devtools see it. */
export function runService<R>(
  ctx: CollectionContext<unknown>,
  name: string,
  txnId: number | undefined,
  run: () => R,
): R {
  if (!ctx.runOp) return run()
  return ctx.runOp({
    id: `${ctx.def.name}/${name}:${txnId ?? 'read'}`,
    kind: 'service',
    name: `${ctx.def.name}/${name}`,
    meta: txnId === undefined ? { store: ctx.def.name } : { store: ctx.def.name, txnId },
    run,
  })
}
