import type { Inspectable } from './inspect.js'
import { compareStates } from './liveChanges.js'
import type { ChangePage } from './txnView.js'

/**
 * What differs between two snapshots of a store: entity by entity for live values, or as one
 * whole-value diff for values a recording serialized (diffJson walks those member by member).
 */
export function compareSnapshots(
  before: Inspectable | undefined,
  after: Inspectable | undefined,
): (offset: number, limit: number) => ChangePage {
  if (before?.source !== 'json' && after?.source !== 'json') return compareStates(before?.value, after?.value)
  return (offset) => ({ items: offset > 0 ? [] : [{ path: [], before, after }], total: 1, omitted: 0 })
}
