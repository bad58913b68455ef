import type { PanelData } from '../source/panelData.js'
import { type QueryClientLike, queryClientsOf } from './queryClient.js'
import { useCaches } from './useCaches.js'

export interface AttachedClients {
  found: Array<{ label: string; client: QueryClientLike }>
  /** Why there is nothing to show, or null. */
  missing: string | null
}

/** The QueryClients attached to the page's runtimes; the caller re-renders when their caches change. */
export function useQueryClients(data: PanelData, cache: 'query' | 'mutation'): AttachedClients {
  const found =
    data.mode === 'live'
      ? queryClientsOf(
          data.instances.map((info) => info.label),
          data.instance,
        )
      : []
  useCaches(found.map((entry) => entry.client))
  const missing =
    data.mode !== 'live'
      ? `A recording has no ${cache} cache: this view reads a live QueryClient.`
      : found.length === 0
        ? 'No QueryClient is attached. With @atoma/react, RuntimeProvider attaches its client to a runtime created with devtools on.'
        : null
  return { found, missing }
}
