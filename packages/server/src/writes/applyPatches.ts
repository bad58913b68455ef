import type { Patch } from '@atoma/runtime/protocol'
import { isPlainObject } from '../validate/json.js'

/** A patch whose path does not exist on the server's current item. */
export class PatchConflict extends Error {}

/**
 * Applies immer-shaped patches (paths relative to the item) to `item`, which the caller owns
 * and which is modified in place; returns the resulting document (a `replace` of the empty
 * path swaps it whole). Segments were validated (parseWriteEntries): none can reach a
 * prototype, and intermediate steps only follow own properties. A patch without `value` is
 * one whose value was `undefined` before JSON dropped it: it removes an object property and
 * stores `null` in an array, as JSON.stringify would have on the client.
 */
export function applyPatches(item: Record<string, unknown>, patches: readonly Patch[]): unknown {
  let doc: unknown = item
  for (const patch of patches) {
    const last = patch.path.at(-1)
    if (last === undefined) {
      if (patch.op !== 'replace') throw new PatchConflict(`a ${patch.op} patch needs a non-empty path`)
      doc = structuredClone(patch.value ?? null)
      continue
    }
    const parent = resolve(doc, patch.path.slice(0, -1))
    if (Array.isArray(parent)) applyToArray(parent, last, patch)
    else applyToObject(parent, String(last), patch)
  }
  return doc
}

function resolve(doc: unknown, path: readonly (string | number)[]): unknown[] | Record<string, unknown> {
  let node = doc
  for (const [depth, segment] of path.entries()) {
    if (Array.isArray(node)) {
      const index = arrayIndex(segment)
      if (index === undefined || index >= node.length) throw unresolved(path.slice(0, depth + 1))
      node = node[index]
    } else if (isPlainObject(node) && Object.hasOwn(node, segment)) {
      node = node[segment]
    } else {
      throw unresolved(path.slice(0, depth + 1))
    }
  }
  if (!Array.isArray(node) && !isPlainObject(node)) throw unresolved(path)
  return node
}

function applyToArray(array: unknown[], segment: string | number, patch: Patch): void {
  const value = structuredClone(patch.value ?? null)
  if (segment === 'length' && patch.op === 'replace') {
    // Older immer versions shrink arrays with a `length` patch.
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > array.length) {
      throw new PatchConflict(
        `cannot set an array of length ${array.length} to length ${JSON.stringify(value)}`,
      )
    }
    array.length = value
    return
  }
  const index = segment === '-' && patch.op === 'add' ? array.length : arrayIndex(segment)
  const limit = patch.op === 'add' ? array.length : array.length - 1
  if (index === undefined || index > limit) {
    throw new PatchConflict(
      `cannot ${patch.op} index ${JSON.stringify(segment)} of an array of length ${array.length}`,
    )
  }
  if (patch.op === 'add') array.splice(index, 0, value)
  else if (patch.op === 'replace') array[index] = value
  else array.splice(index, 1)
}

function applyToObject(object: Record<string, unknown>, key: string, patch: Patch): void {
  if (patch.op === 'remove' || patch.value === undefined) delete object[key]
  else object[key] = structuredClone(patch.value)
}

function arrayIndex(segment: string | number): number | undefined {
  if (typeof segment === 'number') return segment
  return /^(0|[1-9][0-9]{0,8})$/.test(segment) ? Number(segment) : undefined
}

function unresolved(path: readonly (string | number)[]): PatchConflict {
  return new PatchConflict(`patch path ${JSON.stringify(path)} does not exist on the stored item`)
}
