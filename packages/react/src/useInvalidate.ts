import type { CollectionDef, Where } from '@atoma/runtime'
import { useCallback } from 'react'
import { useAtomaContext } from './context.js'
import { collectionFilters } from './queryKey.js'

/**
 * `invalidate(collection, where?)`: marks the collection's queries stale and refetches those that
 * are active (mounted); with `where`, only the queries whose own `where` has these conditions
 * (`{ projectId: 'p1' }` matches `{ where: { projectId: 'p1', done: false } }`). Resolves when the
 * refetches settled. A stable function.
 */
export function useInvalidate(): <T>(collection: CollectionDef<T>, where?: Where<T>) => Promise<void> {
  const { queryClient } = useAtomaContext('useInvalidate')
  return useCallback(
    <T>(collection: CollectionDef<T>, where?: Where<T>) =>
      queryClient.invalidateQueries(collectionFilters(collection, where)),
    [queryClient],
  )
}
