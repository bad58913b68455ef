/** A change in immer's shape; `path` is from the journal's root. */
export interface Patch {
  op: 'add' | 'remove' | 'replace'
  path: (string | number)[]
  value?: unknown
}

const OPS: ReadonlySet<unknown> = new Set(['add', 'remove', 'replace'])
const FORBIDDEN: ReadonlySet<unknown> = new Set(['__proto__', 'constructor', 'prototype'])

/** Why `patch` is malformed, or undefined: checked before a patch is written and after it is read. */
export function patchProblem(patch: unknown): string | undefined {
  if (typeof patch !== 'object' || patch === null) return 'a patch is not an object'
  const { op, path } = patch as { op?: unknown; path?: unknown }
  if (!OPS.has(op)) return `unknown op ${JSON.stringify(op)}`
  if (!Array.isArray(path)) return 'the path is not a list'
  for (const segment of path) {
    if (typeof segment !== 'string' && typeof segment !== 'number')
      return 'path segments must be strings or numbers'
    if (FORBIDDEN.has(segment)) return `the segment '${segment}' could reach a prototype`
  }
  if (path.length === 0 && op !== 'replace') return 'only replace may target the root'
  return undefined
}

/**
 * Applies checked patches in place to `root` — the journal's own freshly decoded copy, so nothing
 * is copied — and returns the root (a new one only after a `replace` at `[]`). Semantics are
 * immer's `applyPatches`, Map and Set included (the runtime enables both); where immer would
 * leave holes or do nothing, this throws instead: a path through something missing, an index out
 * of range, a path into a Set.
 */
export function applyPatches(root: unknown, patches: readonly Patch[]): unknown {
  for (const patch of patches) {
    const { op, path, value } = patch
    if (path.length === 0) {
      root = value
      continue
    }
    let parent = root
    for (let i = 0; i < path.length - 1; i++) parent = child(parent, path[i]!)
    const key = path[path.length - 1]!
    if (parent instanceof Map) {
      if (op === 'remove') parent.delete(key)
      else parent.set(key, value)
    } else if (parent instanceof Set) {
      if (op === 'remove') parent.delete(value)
      else parent.add(value)
    } else if (Array.isArray(parent)) {
      applyToArray(parent, op, key, value)
    } else if (typeof parent === 'object' && parent !== null) {
      const object = parent as Record<string, unknown>
      if (op === 'remove') delete object[key]
      else object[key] = value
    } else {
      throw new Error(`the parent of ${JSON.stringify(key)} is not a container`)
    }
  }
  return root
}

function applyToArray(array: unknown[], op: Patch['op'], key: string | number, value: unknown): void {
  if (key === 'length' && op === 'replace') {
    if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > array.length) {
      throw new Error(`cannot set an array's length to ${JSON.stringify(value)}`)
    }
    array.length = value as number
    return
  }
  if (key === '-' && op === 'add') {
    array.push(value)
    return
  }
  const index = typeof key === 'number' ? key : Number.NaN
  const limit = op === 'add' ? array.length : array.length - 1
  if (!Number.isSafeInteger(index) || index < 0 || index > limit)
    throw new Error(`index ${JSON.stringify(key)} is out of range`)
  if (op === 'add') array.splice(index, 0, value)
  else if (op === 'replace') array[index] = value
  else array.splice(index, 1)
}

function child(parent: unknown, key: string | number): unknown {
  let found: unknown
  if (parent instanceof Map) found = parent.get(key)
  else if (Array.isArray(parent)) found = typeof key === 'number' ? parent[key] : undefined
  else if (
    typeof parent === 'object' &&
    parent !== null &&
    !(parent instanceof Set) &&
    Object.hasOwn(parent, key)
  )
    found = (parent as Record<string, unknown>)[key]
  if (typeof found !== 'object' || found === null)
    throw new Error(`nothing to descend into at ${JSON.stringify(key)}`)
  return found
}
