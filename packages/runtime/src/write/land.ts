import type { Id } from '../query/types.js'
import type { CollectionContext } from '../store/collectionContext.js'
import type { CollectionDraftApi } from '../store/collectionDraft.js'
import type { TxnOrigin, TxnRecord } from '../txn/types.js'
import { reconcile } from './reconcile.js'

/**
 * Server data lands on the confirmed base and pending writes are re-applied on top, in one
 * transaction (query results, `applyWriteback`, later sync). So a refetch never flickers a
 * pending write away, and the patches come from this same pass.
 * `items`: id → the server's value (undefined = gone on the server).
 */
export function landServerData<T>(
  ctx: CollectionContext<T>,
  items: ReadonlyMap<Id, T | undefined>,
  origin: TxnOrigin,
): TxnRecord {
  const next = ctx.pending.land(items)
  const ids = [...next.keys()]
  return ctx.transactor.transact(
    ctx.cell,
    (draft: CollectionDraftApi<T>) => {
      for (const id of ids) reconcile(draft, id, next.get(id))
    },
    origin,
  )
}
