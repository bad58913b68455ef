import { runQuery, validateQuery } from '../query/evaluate.js'
import type { Id, Query } from '../query/types.js'
import { createQueryFlow, type QueryOptions, type QueryResult } from '../read/queryFlow.js'
import type { CollectionWriter } from '../write/types.js'
import type { CollectionContext } from './collectionContext.js'
import { type CollectionReadHandle, createCollectionReadHandle } from './handles.js'

/** A collection in a runtime (`runtime.store(collection)`): reads, queries, optimistic writes. */
export interface CollectionHandle<T> extends CollectionReadHandle<T> {
  /** Reads through the kernel and lands the result in the store as one `query` transaction. */
  query(query: Query<T>, options?: QueryOptions): Promise<QueryResult<T>>
  /** Evaluates a query over the current state, synchronously (pending writes included). */
  evaluate(query: Query<T>): T[]
  /** Optimistic writes: each returns at once with the optimistic commit's txnId. */
  readonly write: CollectionWriter<T>
  /** Writes in flight for this collection (not yet confirmed or rolled back). */
  pendingCount(): number
  /** Whether entity `id` has writes not yet confirmed or rolled back. */
  isPending(id: Id): boolean
  /** Called with `isPending(id)` each time it changes, after the commit that changed it. */
  subscribePending(id: Id, listener: (pending: boolean) => void): () => void
}

export function createCollectionHandle<T>(
  ctx: CollectionContext<T>,
  write: CollectionWriter<T>,
): CollectionHandle<T> {
  const reads = createQueryFlow(ctx)
  return {
    ...createCollectionReadHandle(ctx.cell),
    query: (query, options) => reads.query(query, options),
    evaluate: (query) =>
      runQuery(ctx.cell.state.values(), validateQuery(query, ctx.def.name) as Query<T>, ctx.def.keyOf),
    write,
    pendingCount: () => ctx.pending.size,
    isPending: (id) => ctx.pending.has(id),
    subscribePending: (id, listener) => ctx.pending.watch(id, listener),
  }
}
