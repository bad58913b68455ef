import { AtomaError } from '../errors.js'
import type { EntryResult, NodeQueryResult, NodeWriteResult, WriteEntry, WriteStatus } from './ports.js'

/*
 * Nodes are plugin code: the kernel checks what they return instead of trusting it, so that a
 * buggy backend surfaces as a clear error naming it rather than as a crash deep in the runtime
 * or, worse, a silent success. A malformed result is a `TRANSPORT` error that is NOT retryable:
 * the node did answer (for a write, possibly after applying it), so asking it again would most
 * likely get the same answer, and falling back to another node could apply a write twice.
 */

const malformed = (nodeId: string, what: string) =>
  new AtomaError('TRANSPORT', `node '${nodeId}' returned a malformed ${what}`, { retryable: false })

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

export function checkQueryResult(nodeId: string, result: unknown): NodeQueryResult {
  if (!isObject(result)) throw malformed(nodeId, `query result (${describe(result)}, expected an object)`)
  if (!Array.isArray(result.items))
    throw malformed(nodeId, `query result: items is ${describe(result.items)}, expected an array`)
  if (result.versions !== undefined && !(result.versions instanceof Map))
    throw malformed(nodeId, `query result: versions is ${describe(result.versions)}, expected a Map`)
  if (result.cursor !== undefined && typeof result.cursor !== 'string')
    throw malformed(nodeId, `query result: cursor is ${describe(result.cursor)}, expected a string`)
  return result as unknown as NodeQueryResult
}

/**
 * Checks that the items answer the entries 1:1 by `entryId` and returns them in entry order,
 * with `status` recomputed from the items: the items are the per-entry truth, so a node that
 * says `confirmed` next to a rejected item is corrected rather than believed.
 */
export function checkWriteResult(
  nodeId: string,
  entries: readonly WriteEntry[],
  result: unknown,
): NodeWriteResult {
  if (!isObject(result)) throw malformed(nodeId, `write result (${describe(result)}, expected an object)`)
  if (!Array.isArray(result.items))
    throw malformed(nodeId, `write result: items is ${describe(result.items)}, expected an array`)
  const byEntry = new Map<string, EntryResult>()
  for (const item of result.items as unknown[]) {
    const problem = entryProblem(item)
    if (problem) throw malformed(nodeId, `write result: ${problem}`)
    const entryResult = item as EntryResult
    if (byEntry.has(entryResult.entryId))
      throw malformed(nodeId, `write result: entry '${entryResult.entryId}' is answered twice`)
    byEntry.set(entryResult.entryId, entryResult)
  }
  const items: EntryResult[] = []
  for (const entry of entries) {
    const item = byEntry.get(entry.entryId)
    if (!item)
      throw malformed(
        nodeId,
        `write result: entry '${entry.entryId}' (${entry.op} of '${entry.id}') has no result`,
      )
    items.push(item)
  }
  if (byEntry.size !== entries.length) {
    const asked = new Set(entries.map((entry) => entry.entryId))
    const extra = [...byEntry.keys()].filter((entryId) => !asked.has(entryId))
    throw malformed(nodeId, `write result: results for entries that were not sent (${extra.join(', ')})`)
  }
  return { status: statusOf(items), items }
}

function statusOf(items: readonly EntryResult[]): WriteStatus {
  const confirmed = items.filter((item) => item.status === 'confirmed').length
  if (confirmed === items.length) return 'confirmed'
  return confirmed === 0 ? 'rejected' : 'partial'
}

function entryProblem(item: unknown): string | undefined {
  if (!isObject(item)) return `an item is ${describe(item)}, expected an object`
  if (typeof item.entryId !== 'string')
    return `an item's entryId is ${describe(item.entryId)}, expected a string`
  if (item.status === 'confirmed') {
    if (item.version !== undefined && !Number.isSafeInteger(item.version))
      return `entry '${item.entryId}': version is ${describe(item.version)}, expected an integer`
    if (item.resolution !== undefined && item.resolution !== 'client-wins' && item.resolution !== 'merged')
      return `entry '${item.entryId}': resolution is ${describe(item.resolution)}, expected 'client-wins' or 'merged'`
    return undefined
  }
  if (item.status !== 'rejected')
    return `entry '${item.entryId}': status is ${describe(item.status)}, expected 'confirmed' or 'rejected'`
  const error = item.error
  if (
    !isObject(error) ||
    typeof error.code !== 'string' ||
    typeof error.message !== 'string' ||
    typeof error.retryable !== 'boolean'
  )
    return `entry '${item.entryId}' is rejected without an error { code, message, retryable }`
  if (error.currentVersion !== undefined && !Number.isSafeInteger(error.currentVersion))
    return `entry '${item.entryId}': currentVersion is ${describe(error.currentVersion)}, expected an integer`
  return undefined
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'missing'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}
