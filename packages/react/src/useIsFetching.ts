import type { CollectionDef, Where } from '@atoma/runtime'
import { notifyManager } from '@tanstack/query-core'
import { useCallback, useSyncExternalStore } from 'react'
import { useAtomaContext } from './context.js'
import { collectionFilters } from './queryKey.js'

/**
 * How many Atoma queries are fetching: all of them, a collection's, or (with `where`) those whose
 * `where` has these conditions, as `invalidate` matches. For a global "loading" indicator.
 */
export function useIsFetching<T>(collection?: CollectionDef<T>, where?: Where<T>): number {
  const { queryClient } = useAtomaContext('useIsFetching')
  const filters = collectionFilters(collection, where)
  const count = () => queryClient.isFetching(filters)
  return useSyncExternalStore(
    useCallback(
      (onChange: () => void) => queryClient.getQueryCache().subscribe(notifyManager.batchCalls(onChange)),
      [queryClient],
    ),
    count,
    count,
  )
}
