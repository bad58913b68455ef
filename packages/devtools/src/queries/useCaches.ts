import { useEffect, useRef, useState } from 'react'
import type { QueryClientLike } from './queryClient.js'

/**
 * Re-renders when any of the clients' query or mutation caches change, at most once per animation
 * frame (a refetch storm notifies the caches many times).
 */
export function useCaches(clients: readonly QueryClientLike[]): void {
  const [, setVersion] = useState(0)
  // The list is rebuilt every render: subscribe again only when its members change.
  const key = useStableList(clients)
  useEffect(() => {
    let frame: number | null = null
    const schedule = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null
        setVersion((count) => count + 1)
      })
    }
    const stops = key.flatMap((client) => [
      client.getQueryCache().subscribe(schedule),
      client.getMutationCache().subscribe(schedule),
    ])
    return () => {
      for (const stop of stops) stop()
      if (frame !== null) cancelAnimationFrame(frame)
    }
  }, [key])
}

/** The same array while its members are the same, in order. */
function useStableList<T>(items: readonly T[]): readonly T[] {
  const kept = useRef(items)
  const same =
    kept.current.length === items.length && kept.current.every((item, index) => item === items[index])
  if (!same) kept.current = items
  return kept.current
}
