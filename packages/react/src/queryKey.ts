import type { CollectionDef, Query, Where } from '@atoma/runtime'
import type { QueryFilters } from '@tanstack/query-core'

/**
 * `['atoma', store, query]` (and `'infinite'` last for `useInfiniteQuery`): one cache entry per store
 * and query content. query-core hashes keys with object keys sorted, so equal queries written in
 * another order share the entry, and filters match them partially (`invalidate` below).
 */
export type AtomaQueryKey =
  | readonly ['atoma', string, Query<unknown>]
  | readonly ['atoma', string, Query<unknown>, 'infinite']

/** The cache key of `useQuery(collection, query)` (for `queryClient.getQueryState` and the like). */
export function queryKey<T>(collection: CollectionDef<T>, query: Query<T>): AtomaQueryKey {
  return ['atoma', collection.name, query as Query<unknown>]
}

/** The cache key of `useInfiniteQuery(collection, query, …)`. */
export function infiniteQueryKey<T>(collection: CollectionDef<T>, query: Query<T>): AtomaQueryKey {
  return ['atoma', collection.name, query as Query<unknown>, 'infinite']
}

/**
 * The queries of a collection, or of all collections without one; with `where`, those whose own
 * `where` has these conditions (query-core's partial key match: `{ projectId: 'p1' }` matches
 * `{ where: { projectId: 'p1', done: false } }`, not a query without a projectId condition).
 */
export function collectionFilters<T>(collection?: CollectionDef<T>, where?: Where<T>): QueryFilters {
  if (collection === undefined) return { queryKey: ['atoma'] }
  return {
    queryKey: where === undefined ? ['atoma', collection.name] : ['atoma', collection.name, { where }],
  }
}
