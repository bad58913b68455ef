import { runQuery, validateQuery } from '../query/evaluate.js'
import type { Query } from '../query/types.js'
import { createQueryFlow, type QueryOptions, type QueryResult } from '../read/queryFlow.js'
import { createCollectionWriter } from '../write/collectionWriter.js'
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
}

export function createCollectionHandle<T>(ctx: CollectionContext<T>): CollectionHandle<T> {
  const reads = createQueryFlow(ctx)
  return {
    ...createCollectionReadHandle(ctx.cell),
    query: (query, options) => reads.query(query, options),
    evaluate: (query) =>
      runQuery(ctx.cell.state.values(), validateQuery(query, ctx.def.name) as Query<T>, ctx.def.keyOf),
    write: createCollectionWriter(ctx),
    pendingCount: () => ctx.pending.size,
  }
}
