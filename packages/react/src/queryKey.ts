import type { CollectionDef, Query, Where } from '@atoma/runtime'
import { partialMatchKey, type QueryFilters } from '@tanstack/query-core'
import { stableStringify } from './stableStringify.js'

/**
 * `['atoma', store, stableStringify(query)]` (and `'infinite'` last for `useInfiniteQuery`): one
 * cache entry per store and query content, so equal queries written in another key order share it.
 */
export type AtomaQueryKey =
  | readonly ['atoma', string, string]
  | readonly ['atoma', string, string, 'infinite']

/** The cache key of `useQuery(collection, query)` (for `queryClient.getQueryState` and the like). */
export function queryKey<T>(collection: CollectionDef<T>, query: Query<T>): AtomaQueryKey {
  return ['atoma', collection.name, stableStringify(query)]
}

/** The cache key of `useInfiniteQuery(collection, query, …)`. */
export function infiniteQueryKey<T>(collection: CollectionDef<T>, query: Query<T>): AtomaQueryKey {
  return ['atoma', collection.name, stableStringify(query), 'infinite']
}

/**
 * The queries of a collection, or of all collections without one; with `where`, those whose own
 * `where` has these conditions (query-core's partial match: `{ projectId: 'p1' }` matches
 * `{ where: { projectId: 'p1', done: false } }`, not a query without a projectId condition).
 */
export function collectionFilters<T>(collection?: CollectionDef<T>, where?: Where<T>): QueryFilters {
  if (collection === undefined) return { queryKey: ['atoma'] }
  if (where === undefined) return { queryKey: ['atoma', collection.name] }
  return {
    queryKey: ['atoma', collection.name],
    predicate: ({ queryKey: key }) =>
      typeof key[2] === 'string' && partialMatchKey([JSON.parse(key[2])], [{ where }]),
  }
}
