import { type DevtoolsSnapshot, getDevtoolsSnapshot, subscribeDevtoolsSnapshot } from '@atoma/runtime'
import { useEffect, useRef, useState } from 'react'

/**
 * The hub's snapshot while `active`, with at most one re-render per animation frame however many
 * events arrive: the hub notifies synchronously on every commit, and a panel that rendered per
 * event would slow down the app it observes. While inactive (panel closed, or showing a
 * recording) there is no subscription at all, so a closed panel costs the app nothing.
 */
export function useLiveSnapshot(active: boolean): DevtoolsSnapshot | null {
  const [, setFrame] = useState(0)
  const rendered = useRef(-1)
  useEffect(() => {
    if (!active) return
    let frame: number | null = null
    const schedule = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null
        setFrame((count) => count + 1)
      })
    }
    const unsubscribe = subscribeDevtoolsSnapshot(schedule)
    // An event may have arrived between the render and this subscription.
    if (getDevtoolsSnapshot().version !== rendered.current) schedule()
    return () => {
      unsubscribe()
      if (frame !== null) cancelAnimationFrame(frame)
    }
  }, [active])
  if (!active) return null
  // The hub returns the same object until something changes, so reading it here is O(1).
  const snapshot = getDevtoolsSnapshot()
  rendered.current = snapshot.version
  return snapshot
}
