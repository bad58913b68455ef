'use client'

// @atoma/react — the React bindings (docs/architecture.md §9): a provider and hooks over @atoma/runtime.
// 'use client': with React Server Components (Next.js App Router) they run in the client bundle;
// a server component renders them as a client boundary. Kept in the build (tsc emits it first).
// What a server component calls (prefetch, dehydrate) is in `@atoma/react/server`.
export { keepPreviousData } from '@tanstack/query-core'
export { AtomaHydrate, type AtomaHydrateProps } from './AtomaHydrate.js'
export type { AtomaCached, AtomaPlaceholder, AtomaQueryData } from './queryData.js'
export type { AtomaQueryKey } from './queryKey.js'
export { RuntimeProvider, type RuntimeProviderProps } from './RuntimeProvider.js'
export { shallow } from './shallow.js'
export { type AtomaDehydratedState, dehydrate, hydrate } from './ssr.js'
export { useActions } from './useActions.js'
export { useDispatch } from './useDispatch.js'
export { useEntity } from './useEntity.js'
export {
  type InfinitePage,
  type PageParam,
  type UseInfiniteQueryOptions,
  type UseInfiniteQueryResult,
  useInfiniteQuery,
} from './useInfiniteQuery.js'
export { useInvalidate } from './useInvalidate.js'
export { useIsFetching } from './useIsFetching.js'
export {
  type MutateCallbacks,
  type MutationFn,
  type UseMutationOptions,
  type UseMutationResult,
  useMutation,
} from './useMutation.js'
export {
  type AtomaMutationState,
  type MutationFilters,
  useIsMutating,
  useMutationState,
} from './useMutationState.js'
export { usePending } from './usePending.js'
export { type UseQueryOptions, type UseQueryResult, useQuery } from './useQuery.js'
export { useQueryClient } from './useQueryClient.js'
export { useRuntime } from './useRuntime.js'
export { useStore } from './useStore.js'
export {
  type UseSuspenseQueryOptions,
  type UseSuspenseQueryResult,
  useSuspenseQuery,
} from './useSuspenseQuery.js'
