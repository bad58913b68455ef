import { useEffect, useRef, useState } from 'react'

/**
 * Re-renders when any of `sources` notifies, at most once per animation frame (a refetch storm, or
 * a burst of watcher triggers, notifies many times). `subscribe` returns the source's
 * unsubscriptions; subscriptions are renewed only when the list's members change.
 */
export function useFrameUpdates<T>(
  sources: readonly T[],
  subscribe: (source: T, schedule: () => void) => ReadonlyArray<() => void>,
): void {
  const [, setVersion] = useState(0)
  // The list is rebuilt every render: subscribe again only when its members change.
  const key = useStableList(sources)
  const subscribeRef = useRef(subscribe)
  subscribeRef.current = subscribe
  useEffect(() => {
    let frame: number | null = null
    const schedule = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null
        setVersion((count) => count + 1)
      })
    }
    const stops = key.flatMap((source) => subscribeRef.current(source, schedule))
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
