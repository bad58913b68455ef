import { formatValue } from './formatValue.js'
import { childrenOf, type Inspectable, isExpandable, previewOf } from './inspect.js'

export interface StateMatch {
  /** Keys from the root to the match. */
  path: string[]
  node: Inspectable
}

export interface StateSearch {
  matches: StateMatch[]
  /** The walk stopped at its budget: more of the state was not searched. */
  partial: boolean
}

/** Nodes visited per search: a 100,000-entity collection's entities and their fields fit. */
const BUDGET = 400_000
const DEPTH = 6

/**
 * Finds the keys and the leaf values containing `text` (case-insensitive) in a state, depth
 * first in the state's own order, up to `limit` matches. Each visited leaf is read once as a
 * short preview, so a search costs one pass over what it visits, bounded by a node budget.
 */
export function searchState(root: Inspectable, text: string, limit = 500): StateSearch {
  const needle = text.trim().toLowerCase()
  const matches: StateMatch[] = []
  if (needle === '') return { matches, partial: false }
  let visited = 0
  const walk = (node: Inspectable, path: string[], depth: number): boolean => {
    if (matches.length >= limit || visited >= BUDGET) return false
    visited++
    const key = path.at(-1) ?? ''
    const expandable = depth < DEPTH && isExpandable(node)
    if (
      key.toLowerCase().includes(needle) ||
      (!expandable && formatValue(previewOf(node), 200).toLowerCase().includes(needle))
    ) {
      matches.push({ path, node })
      if (expandable === false) return true
    }
    if (!expandable) return true
    const page = childrenOf(node, 0, Number.MAX_SAFE_INTEGER)
    for (const child of page.children) if (!walk(child.node, [...path, child.key], depth + 1)) return false
    return true
  }
  const complete = walk(root, [], 0)
  return { matches, partial: !complete && visited >= BUDGET }
}
