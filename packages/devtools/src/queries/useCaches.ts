import { useFrameUpdates } from '../source/useFrameUpdates.js'
import type { QueryClientLike } from './queryClient.js'

/**
 * Re-renders when any of the clients' query or mutation caches change, at most once per animation
 * frame (a refetch storm notifies the caches many times).
 */
export function useCaches(clients: readonly QueryClientLike[]): void {
  useFrameUpdates(clients, (client, schedule) => [
    client.getQueryCache().subscribe(schedule),
    client.getMutationCache().subscribe(schedule),
  ])
}
