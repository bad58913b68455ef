import type { KeyboardEvent } from 'react'

/** The index an arrow/Home/End/Page key moves to in a list of `count` rows, or null for other keys. */
export function nextIndex(event: KeyboardEvent, current: number, count: number, page = 10): number | null {
  if (count === 0) return null
  const last = count - 1
  switch (event.key) {
    case 'ArrowDown':
      return Math.min(last, current + 1)
    case 'ArrowUp':
      return Math.max(0, current < 0 ? 0 : current - 1)
    case 'Home':
      return 0
    case 'End':
      return last
    case 'PageDown':
      return Math.min(last, Math.max(0, current) + page)
    case 'PageUp':
      return Math.max(0, current - page)
    default:
      return null
  }
}
