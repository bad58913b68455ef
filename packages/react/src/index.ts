// @atoma/react — the React bindings (DESIGN §9): a provider and hooks over @atoma/runtime.
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
