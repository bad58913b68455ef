'use client'

// @atoma/react — the React bindings (docs/architecture.md §9): a provider and hooks over @atoma/runtime.
// 'use client': with React Server Components (Next.js App Router) they run in the client bundle;
// a server component renders them as a client boundary. Kept in the build (tsc emits it first).
export { RuntimeProvider, type RuntimeProviderProps } from './RuntimeProvider.js'
export { shallow } from './shallow.js'
export { dehydrate, hydrate } from './ssr.js'
export { useActions } from './useActions.js'
export { useDispatch } from './useDispatch.js'
export { useEntity } from './useEntity.js'
export {
  type MutationFn,
  type UseMutationOptions,
  type UseMutationResult,
  useMutation,
} from './useMutation.js'
export { usePending } from './usePending.js'
export { type AtomaQueryKey, type UseQueryOptions, type UseQueryResult, useQuery } from './useQuery.js'
export { useRuntime } from './useRuntime.js'
export { useStore } from './useStore.js'
export {
  type UseSuspenseQueryOptions,
  type UseSuspenseQueryResult,
  useSuspenseQuery,
} from './useSuspenseQuery.js'
