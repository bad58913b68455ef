import { dataProblem } from '../data.js'
import { AtomaError } from '../errors.js'
import type { ExecutionMeta } from '../execution/ports.js'
import { encodeCursor, isPaged, runQuery, validateQuery } from '../query/evaluate.js'
import type { Id, Query, Where } from '../query/types.js'
import { type CollectionContext, runService } from '../store/collectionContext.js'
import { validateItems } from '../store/schema.js'
import { landServerData } from '../write/land.js'
import { MERGE_POLICIES, type MergePolicy } from './merge.js'

/** Options of one `query` call. */
export interface QueryOptions {
  merge?: MergePolicy
  signal?: AbortSignal
}

/** What `query` resolves with once the result landed in the store. */
export interface QueryResult<T> {
  /** The result's items as they are visible now (pending writes applied), in the backend's order. */
  items: T[]
  meta: ExecutionMeta
  /** The commit that landed the result. */
  txnId: number
  /**
   * The query whose evaluation over the store is this result kept live (`handle.evaluate(view)`):
   * the query itself when it is not paged; for a page, its `where` and `orderBy` between the gap
   * before the page's first item and the one after its last (cursors `after`/`before`), open on
   * the side of the first or last page. So the page shows later changes to its items and the
   * matching items created where the order puts them, and never items of another page.
   */
  view: Query<T>
}

/**
 * `store.query(q, { merge })`: the kernel read, validated, landed on the confirmed base as one
 * `query` transaction. Older data never overwrites newer: an item whose version is below the one
 * already known is skipped, and an item confirmed by a write while the query was in flight is
 * not removed by it.
 */
export function createQueryFlow<T>(ctx: CollectionContext<T>) {
  const store = ctx.def.name
  return {
    async query(input: Query<T>, options: QueryOptions = {}): Promise<QueryResult<T>> {
      const merge = options.merge ?? 'replace'
      if (!MERGE_POLICIES.includes(merge))
        throw new AtomaError(
          'INVALID_ARGUMENT',
          `collection '${store}': unknown merge policy '${String(merge)}'`,
          { store },
        )
      const query = validateQuery(input, store) as Query<T>
      const startedAt = ctx.pending.mark
      const output = await runService(ctx as CollectionContext<unknown>, 'query', undefined, () =>
        ctx.reads.execute({
          store,
          query: query as Query,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      )
      // Any node's answer is checked before anything lands: one bad item refuses the whole result.
      for (const item of output.items) {
        const problem =
          typeof item !== 'object' || item === null || Array.isArray(item)
            ? 'an item is not an object'
            : dataProblem(item)
        if (problem)
          throw new AtomaError(
            'VALIDATION',
            `collection '${store}': the backend answered a query with data that is refused: ${problem}`,
            {
              store,
            },
          )
      }
      const items = await validateItems(ctx.def.schema, store, output.items)

      const view = viewOf(store, query, items, ctx.def.keyOf)
      const landing = new Map<Id, T | undefined>()
      const order: Id[] = []
      for (const item of items) {
        const id = ctx.def.keyOf(item)
        order.push(id)
        const version = output.versions?.get(id)
        if (ctx.pending.stale(id, version)) continue
        ctx.pending.learn(id, version, false)
        landing.set(id, item)
      }
      if (merge !== 'upsert-only') {
        const returned = new Set(order)
        const confirmedItems: T[] = []
        const state = ctx.cell.state
        for (const [id, value] of state) {
          const confirmed = ctx.pending.confirmedOf(id, value)
          if (confirmed !== undefined) confirmedItems.push(confirmed)
        }
        // Confirmed items hidden by a pending delete are the server's too.
        for (const id of ctx.pending.ids()) {
          const confirmed = state.has(id) ? undefined : ctx.pending.confirmedOf(id, undefined)
          if (confirmed !== undefined) confirmedItems.push(confirmed)
        }
        // What the result is the truth for: the query, or the page's part of the order.
        for (const item of runQuery(confirmedItems, view, ctx.def.keyOf)) {
          const id = ctx.def.keyOf(item)
          if (returned.has(id) || ctx.pending.confirmedSince(id, startedAt)) continue
          if (merge === 'preserve-missing' && !ctx.pending.versions.has(id)) continue
          ctx.pending.versions.delete(id)
          landing.set(id, undefined)
        }
      }
      const record = landServerData(ctx, landing, { kind: 'query' })
      const state = ctx.cell.state
      const visibleItems: T[] = []
      for (const id of order) {
        const value = state.get(id)
        if (value !== undefined) visibleItems.push(value)
      }
      return { items: visibleItems, meta: output.meta, txnId: record.txnId, view }
    },
  }
}

/** A `where` nothing matches: the view of a page whose place in the order is unknown. */
const NOTHING: Where = { or: [] }

/**
 * The live view of a result (`QueryResult.view`). A page is the last one when it came back
 * shorter than its `limit`; its lower bound is the query's own `after` when nothing was skipped
 * past it, else the gap before its first item; an empty page after an `offset` shows nothing
 * (where it lies in the order is unknown).
 */
function viewOf<T>(store: string, query: Query<T>, items: readonly T[], keyOf: (item: T) => Id): Query<T> {
  const { where, orderBy } = query
  const base: Query<T> = {
    ...(where === undefined ? {} : { where }),
    ...(orderBy === undefined ? {} : { orderBy }),
  }
  if (!isPaged(query)) return base
  const first = items[0]
  const last = items.at(-1)
  const skipped = query.offset !== undefined && query.offset > 0
  const lastPage = query.limit === undefined || items.length < query.limit
  if (query.limit === 0 || (first === undefined && skipped)) return { where: NOTHING as Where<T> }
  const after = skipped ? encodeCursor(store, query, first as T, keyOf, 'before') : query.after
  const before = lastPage ? query.before : encodeCursor(store, query, last as T, keyOf, 'after')
  return { ...base, ...(after === undefined ? {} : { after }), ...(before === undefined ? {} : { before }) }
}
