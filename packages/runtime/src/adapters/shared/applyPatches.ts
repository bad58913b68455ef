import { AtomaError } from '../../errors.js'
import { type Patch, unsafeSegment } from '../../patch.js'

/**
 * Applies immer-shaped patches (paths relative to the item) to `item` in place and returns the
 * new item — a different value only when a patch replaces the whole item (`replace` at `[]`).
 * `item` must be the backend's own copy; patch values are copied before they are stored.
 *
 * The rules follow immer's `applyPatches` wherever immer is well defined, so a backend computes
 * what the client's own rebase computes. Where immer would silently corrupt the item instead,
 * the patch does not apply and this throws `VALIDATION`:
 * - a segment `__proto__`, `constructor` or `prototype` (prototype pollution);
 * - a path through a missing field, or through anything but a plain object or an array;
 * - an array index that is not an integer in range (`add`: 0..length or `'-'`, which appends;
 *   `replace`/`remove`: 0..length-1) — immer would leave holes or quietly do nothing;
 * - `add`/`remove` at the empty path.
 * On objects, `add` and `replace` set the field and `remove` deletes it (a missing field is fine).
 */
export function applyPatches(item: unknown, patches: readonly Patch[]): unknown {
  let root = item
  patches.forEach((patch, index) => {
    const where = `patch ${index} (${patch.op} ${JSON.stringify(patch.path)})`
    const fail: Fail = (reason) => {
      throw new AtomaError('VALIDATION', `${where} does not apply: ${reason}`)
    }
    if (!OPS.has(patch.op)) fail('unknown op')
    // Anything but strings and numbers could stringify to a forbidden key after the check below.
    if (!Array.isArray(patch.path) || !patch.path.every(isSegment))
      fail('segments must be strings or numbers')
    const unsafe = unsafeSegment(patch.path)
    if (unsafe !== undefined) fail(`the segment '${unsafe}' could reach a prototype`)
    if (patch.path.length === 0) {
      if (patch.op !== 'replace') fail('only replace may target the whole item')
      root = copyOf(patch.value, where)
      return
    }
    let parent = root
    for (const segment of patch.path.slice(0, -1)) {
      parent = childOf(parent, segment) ?? fail(`nothing at '${segment}'`)
    }
    const last = patch.path[patch.path.length - 1] as string | number
    if (Array.isArray(parent)) applyToArray(parent, patch, last, where, fail)
    else if (isPlainObject(parent)) applyToObject(parent, patch, String(last), where)
    else fail('the parent is not an object or an array')
  })
  return root
}

type Fail = (reason: string) => never

const OPS: ReadonlySet<string> = new Set(['add', 'replace', 'remove'])

function applyToArray(array: unknown[], patch: Patch, segment: string | number, where: string, fail: Fail) {
  if (patch.op === 'add' && segment === '-') {
    array.push(copyOf(patch.value, where))
    return
  }
  const index = arrayIndex(segment)
  const limit = patch.op === 'add' ? array.length : array.length - 1
  if (index === undefined || index > limit) return fail(`index ${JSON.stringify(segment)} is out of range`)
  if (patch.op === 'add') array.splice(index, 0, copyOf(patch.value, where))
  else if (patch.op === 'replace') array[index] = copyOf(patch.value, where)
  else array.splice(index, 1)
}

function applyToObject(object: Record<string, unknown>, patch: Patch, key: string, where: string) {
  if (patch.op === 'remove') delete object[key]
  else object[key] = copyOf(patch.value, where)
}

function isSegment(segment: unknown): boolean {
  return typeof segment === 'string' || typeof segment === 'number'
}

function childOf(parent: unknown, segment: string | number): object | undefined {
  let child: unknown
  if (Array.isArray(parent)) {
    const index = arrayIndex(segment)
    child = index === undefined ? undefined : parent[index]
  } else if (isPlainObject(parent)) {
    const key = String(segment)
    child = Object.hasOwn(parent, key) ? parent[key] : undefined
  }
  return typeof child === 'object' && child !== null ? child : undefined
}

/** Array indices arrive as numbers from immer and may arrive as decimal strings over a wire. */
function arrayIndex(segment: string | number): number | undefined {
  const index = typeof segment === 'number' ? segment : /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : NaN
  return Number.isSafeInteger(index) && index >= 0 ? index : undefined
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The caller keeps its patch objects; storing them by reference would let it edit stored data. */
function copyOf(value: unknown, where: string): unknown {
  try {
    return structuredClone(value)
  } catch (error) {
    throw new AtomaError('VALIDATION', `${where} carries a value that cannot be stored`, { cause: error })
  }
}
