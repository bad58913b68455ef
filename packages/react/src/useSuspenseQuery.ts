import type { CollectionDef, Query } from '@atoma/runtime'
import { toResult, type UseQueryOptions, type UseQueryResult, useAtomaQuery } from './useQuery.js'

/** `useQuery`'s options less `enabled` and `placeholderData`: a suspending query always fetches. */
export type UseSuspenseQueryOptions<T, U = readonly T[]> = Omit<
  UseQueryOptions<T, U>,
  'enabled' | 'placeholderData'
>

/** What `useSuspenseQuery` returns: as `useQuery`, without the `pending` status. */
export interface UseSuspenseQueryResult<U> extends Omit<UseQueryResult<U>, 'status'> {
  /** Never `pending`: the component suspends until the first fetch settled. `error` after a failed refetch. */
  status: 'success' | 'error'
}

/**
 * `useQuery` for Suspense: while nothing was fetched yet the component suspends on the fetch
 * (query-core's `fetchOptimistic`, as `@tanstack/react-query` does), and a first fetch that fails
 * is thrown to the nearest error boundary. `data` is read from the store, as in `useQuery`.
 */
export function useSuspenseQuery<T, U = readonly T[]>(
  collection: CollectionDef<T>,
  query: Query<T>,
  options: UseSuspenseQueryOptions<T, U> = {},
): UseSuspenseQueryResult<U> {
  const { result, data, refetch } = useAtomaQuery('useSuspenseQuery', collection, query, options, true)
  // Pending was suspended on above, so only these two remain.
  return { ...toResult(result, data, refetch), status: result.status === 'error' ? 'error' : 'success' }
}
