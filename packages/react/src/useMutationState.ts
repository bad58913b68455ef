import type { AtomaError, CollectionDef, WriteResult } from '@atoma/runtime'
import { type Mutation, type MutationState, notifyManager, replaceEqualDeep } from '@tanstack/query-core'
import { useCallback, useRef, useSyncExternalStore } from 'react'
import { useAtomaContext } from './context.js'

/** A mutation's state as `useMutationState` sees it (`variables`, `status`, `submittedAt`, …). */
export type AtomaMutationState<T = unknown, V = unknown> = MutationState<
  WriteResult<T>,
  AtomaError,
  V,
  unknown
>

/** Which mutations `useMutationState` and `useIsMutating` look at. */
export interface MutationFilters<T> {
  /** Only this collection's `useMutation`s (default: every one). */
  collection?: CollectionDef<T>
  /** Only mutations in this status (`useIsMutating` counts `pending` ones). */
  status?: AtomaMutationState['status']
}

const filtersOf = <T>({ collection, status }: MutationFilters<T>) => ({
  mutationKey: collection === undefined ? ['atoma'] : ['atoma', collection.name],
  ...(status === undefined ? {} : { status }),
})

/** How many `useMutation` writes are pending: all, or a collection's. */
export function useIsMutating<T>(collection?: CollectionDef<T>): number {
  const { queryClient } = useAtomaContext('useIsMutating')
  const count = () => queryClient.isMutating(filtersOf(collection === undefined ? {} : { collection }))
  return useSyncExternalStore(
    useCallback(
      (onChange: () => void) => queryClient.getMutationCache().subscribe(notifyManager.batchCalls(onChange)),
      [queryClient],
    ),
    count,
    count,
  )
}

/**
 * The states of the mutations that match (oldest first), each through `select` (default: the
 * state itself): e.g. every pending create's `variables`, to show them in a list before they
 * are confirmed. The same array while nothing selected changed.
 */
export function useMutationState<T = unknown, V = unknown, R = AtomaMutationState<T, V>>(
  options: MutationFilters<T> & {
    select?: (mutation: Mutation<WriteResult<T>, AtomaError, V, unknown>) => R
  } = {},
): R[] {
  const { queryClient } = useAtomaContext('useMutationState')
  const cache = queryClient.getMutationCache()
  const latest = useRef(options)
  latest.current = options
  // Reads the latest options through the ref, so it stays one function per cache.
  const read = useCallback((): R[] => {
    const { select, ...filters } = latest.current
    return cache
      .findAll(filtersOf(filters))
      .map((mutation) =>
        select
          ? select(mutation as unknown as Mutation<WriteResult<T>, AtomaError, V, unknown>)
          : (mutation.state as unknown as R),
      )
  }, [cache])
  // As react-query: the result is kept in a ref and replaced only when it changed deeply.
  const result = useRef<R[] | null>(null)
  if (result.current === null) result.current = read()
  const subscribe = useCallback(
    (onChange: () => void) =>
      cache.subscribe(() => {
        const next = replaceEqualDeep(result.current, read())
        if (next === result.current) return
        result.current = next
        notifyManager.schedule(onChange)
      }),
    [cache, read],
  )
  const snapshot = () => result.current as R[]
  return useSyncExternalStore(subscribe, snapshot, snapshot)
}
