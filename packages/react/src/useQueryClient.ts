import type { QueryClient } from '@tanstack/query-core'
import { useAtomaContext } from './context.js'

/** The provider's QueryClient: the one cache of every `useQuery` and `useMutation` below it. */
export function useQueryClient(): QueryClient {
  return useAtomaContext('useQueryClient').queryClient
}
