import type { DebugEventKind, RuntimeDebugEvent } from '@atoma/runtime'
import { searchTextOf } from './describeEvent.js'

export interface EventFilter {
  /** Kinds shown; all when empty. */
  kinds: ReadonlySet<DebugEventKind>
  /** A store name, or null for all. */
  store: string | null
  /** Case-insensitive; every whitespace-separated word must match. */
  text: string
}

export const NO_FILTER: EventFilter = { kinds: new Set(), store: null, text: '' }

export function filterEvents(
  events: readonly RuntimeDebugEvent[],
  filter: EventFilter,
): readonly RuntimeDebugEvent[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean)
  if (filter.kinds.size === 0 && filter.store === null && words.length === 0) return events
  return events.filter((event) => {
    if (filter.kinds.size > 0 && !filter.kinds.has(event.kind)) return false
    if (filter.store !== null && event.store !== filter.store) return false
    if (words.length === 0) return true
    const text = searchTextOf(event)
    return words.every((word) => text.includes(word))
  })
}
