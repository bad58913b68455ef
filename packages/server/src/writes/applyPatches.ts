import type { Patch } from '@atoma/runtime/protocol'
import { isPlainObject } from '../validate/json.js'

/** A patch that cannot apply to the stored item: its path does not exist there, or leads nowhere valid. */
export class PatchDoesNotApply extends Error {}

type Fail = (reason: string) => never

/**
 * Applies immer-shaped patches (paths relative to the item) to `item`, which the caller owns
 * and which is modified in place; returns the resulting document (a `replace` of the empty
 * path swaps it whole). The rules are immer's `applyPatches` wherever immer is well defined,
 * and the shared write semantics of the local backends where immer would corrupt the item:
 * a path through a missing field or a scalar, or an array index out of range, does not apply.
 * Segments were validated (parseWriteEntries): none can reach a prototype, and steps follow
 * own properties only. A patch without `value` is one whose value was `undefined` before JSON
 * dropped it: it removes an object property and stores `null` in an array, as
 * JSON.stringify would have on the client.
 */
export function applyPatches(item: Record<string, unknown>, patches: readonly Patch[]): unknown {
  let doc: unknown = item
  patches.forEach((patch, index) => {
    const fail: Fail = (reason) => {
      throw new PatchDoesNotApply(
        `patches[${index}] (${patch.op} ${JSON.stringify(patch.path)}) does not apply: ${reason}`,
      )
    }
    const last = patch.path.at(-1)
    if (last === undefined) {
      if (patch.op !== 'replace') fail('only replace may target the whole item')
      doc = structuredClone(patch.value ?? null)
      return
    }
    const parent = resolve(doc, patch.path.slice(0, -1), fail)
    if (Array.isArray(parent)) applyToArray(parent, last, patch, fail)
    else applyToObject(parent, String(last), patch)
  })
  return doc
}

function resolve(
  doc: unknown,
  path: readonly (string | number)[],
  fail: Fail,
): unknown[] | Record<string, unknown> {
  let node = doc
  for (const [depth, segment] of path.entries()) {
    if (Array.isArray(node)) {
      const index = arrayIndex(segment)
      node = index === undefined ? undefined : node[index]
    } else {
      node = isPlainObject(node) && Object.hasOwn(node, segment) ? node[segment] : undefined
    }
    if (!Array.isArray(node) && !isPlainObject(node)) {
      fail(`no object or array at ${JSON.stringify(path.slice(0, depth + 1))}`)
    }
  }
  if (!Array.isArray(node) && !isPlainObject(node)) fail('the item is not an object')
  return node
}

function applyToArray(array: unknown[], segment: string | number, patch: Patch, fail: Fail): void {
  const value = structuredClone(patch.value ?? null)
  if (segment === 'length' && patch.op === 'replace') {
    // Older immer versions shrink arrays with a `length` patch.
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > array.length) {
      fail(`an array of length ${array.length} cannot take the length ${JSON.stringify(value)}`)
    }
    array.length = value
    return
  }
  const index = segment === '-' && patch.op === 'add' ? array.length : arrayIndex(segment)
  const limit = patch.op === 'add' ? array.length : array.length - 1
  if (index === undefined || index > limit) {
    fail(`index ${JSON.stringify(segment)} is out of range for an array of length ${array.length}`)
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
