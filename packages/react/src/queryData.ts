import type {
  CollectionDef,
  CollectionHandle,
  ExecutionMeta,
  Id,
  MergePolicy,
  Query,
  Runtime,
} from '@atoma/runtime'

/**
 * What query-core caches for an Atoma query: not the items (they are in the store, and dehydrate
 * with it) but how to read them live: `handle.evaluate(view)`, the fetched result's `view`
 * (docs/architecture.md §5: a page is bounded by cursors, so it stays the page the backend
 * returned). `ids` pins the result to those items (initialData of a page, whose bounds are not
 * known); `seed` are initialData's items, shown as they are until they landed in the store.
 * JSON-friendly, so `dehydrate` carries it to the client.
 */
export interface AtomaQueryData<T = unknown> {
  view: Query<T>
  meta: ExecutionMeta
  ids?: readonly Id[]
  seed?: readonly T[]
}

/** A placeholder given as items (not live): what `placeholderData` shows while the query is pending. */
export interface AtomaPlaceholder<T = unknown> {
  placeholder: readonly T[]
}

/** What an Atoma query's cache entry holds: a result's view, or a placeholder's items. */
export type AtomaCached<T> = AtomaQueryData<T> | AtomaPlaceholder<T>

/**
 * Whether a query asks for a page (`limit`, `offset`, a cursor): its result is then the backend's
 * page, never a local evaluation (the runtime's `QueryResult.view` is bounded the same way).
 */
export function isPaged<T>(query: Query<T>): boolean {
  return (
    query.limit !== undefined ||
    (query.offset !== undefined && query.offset > 0) ||
    query.after !== undefined ||
    query.before !== undefined
  )
}

/** The kernel read behind `useQuery` and `prefetchQuery`: lands the result, caches its view. */
export async function fetchView<T>(
  handle: CollectionHandle<T>,
  query: Query<T>,
  merge: MergePolicy | undefined,
  signal: AbortSignal,
): Promise<AtomaQueryData<T>> {
  const { view, meta } = await handle.query(query, merge ? { signal, merge } : { signal })
  return { view, meta }
}

/** initialData's items already landed in the store (then the live view shows them). */
const landed = new WeakSet<object>()

/**
 * The items of a cached value as the store holds them now, pending writes included; the same
 * evaluation for a query, a page and a placeholder, so keepPreviousData keeps the previous page live.
 */
export function itemsOf<T>(
  handle: CollectionHandle<T>,
  def: CollectionDef<T>,
  data: AtomaCached<T>,
): readonly T[] {
  if ('placeholder' in data) return data.placeholder
  if (data.seed && !landed.has(data)) return data.seed
  const items = handle.evaluate(data.view)
  if (data.ids === undefined) return items
  const pinned = new Set(data.ids)
  return items.filter((item) => pinned.has(def.keyOf(item)))
}

/**
 * Lands initialData's items in the store once (a `query` commit; items with writes in flight
 * keep them), so the view goes live. Called from an effect: a commit during render would update
 * other components while this one renders.
 */
export function landSeed<T>(
  runtime: Runtime,
  handle: CollectionHandle<T>,
  def: CollectionDef<T>,
  data: AtomaCached<T> | undefined,
): void {
  if (data === undefined || 'placeholder' in data || !data.seed || landed.has(data)) return
  landed.add(data)
  const seed = data.seed
  runtime.transact(
    def,
    (draft) => {
      for (const item of seed) {
        const id = def.keyOf(item)
        if (!handle.isPending(id)) draft.set(id, item)
      }
    },
    { kind: 'query', name: 'initialData' },
  )
}
