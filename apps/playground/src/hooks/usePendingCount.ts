import { useRuntime } from '@atoma/react'
import { useCallback, useSyncExternalStore } from 'react'
import { projects, tasks } from '../data/collections.js'

/**
 * Writes to the board's collections that the backend has not answered yet, from the runtime
 * itself: counted from the optimistic commit on, before the outbox has even stored them.
 */
export function usePendingCount(): number {
  const runtime = useRuntime()
  const subscribe = useCallback(
    (onChange: () => void) => {
      // A write registers as pending right after its optimistic commit notifies: count after it.
      const later = () => queueMicrotask(onChange)
      const stops = [runtime.store(projects).subscribe(later), runtime.store(tasks).subscribe(later)]
      return () => {
        for (const stop of stops) stop()
      }
    },
    [runtime],
  )
  const count = useCallback(
    () => runtime.store(projects).pendingCount() + runtime.store(tasks).pendingCount(),
    [runtime],
  )
  return useSyncExternalStore(subscribe, count, count)
}
