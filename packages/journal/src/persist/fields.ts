import type { Patch } from '../patch/patch.js'

/** A commit as persist keeps it until it is durable: its patches, and the ones that undo it. */
export interface Change {
  patches: Patch[]
  inverse: Patch[]
}

/**
 * immer reports items pushed onto an array as `add` at the indices past its old end (it never
 * inserts in the middle: that shows as replaces, then adds at the end). Replayed on another base —
 * the hydrated state, or on top of another tab's commits — those indices are wrong: two tabs
 * pushing onto the same list would put the later one first. As appends (`-`), they land at the
 * end, in log order, wherever that is. `state` is the state after the commit, where each such
 * parent is the array the items went into.
 */
export function asAppends(state: unknown, patches: readonly Patch[]): readonly Patch[] {
  let rewritten: Patch[] | undefined
  patches.forEach((patch, i) => {
    const last = patch.path.length - 1
    if (patch.op !== 'add' || typeof patch.path[last] !== 'number') return
    let parent = state
    for (let depth = 0; depth < last && parent !== undefined; depth++)
      parent = child(parent, patch.path[depth]!)
    if (!Array.isArray(parent)) return
    rewritten ??= [...patches]
    rewritten[i] = { op: 'add', path: [...patch.path.slice(0, last), '-'], value: patch.value }
  })
  return rewritten ?? patches
}

function child(parent: unknown, key: string | number): unknown {
  if (parent instanceof Map) return parent.get(key)
  if (typeof parent !== 'object' || parent === null || parent instanceof Set) return undefined
  return (parent as Record<string | number, unknown>)[key]
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * The part of a store's state that is persisted. `partialize` names top-level fields, so
 * "is this patch persisted" is a look at its first path segment: O(1) per patch, never a walk of
 * the state (a function of the whole state, zustand's form, could only be honoured by running it
 * and diffing its result on every commit — O(state)). Without `partialize` everything is.
 */
export class Fields {
  private readonly keys: ReadonlySet<string> | undefined

  constructor(keys: readonly string[] | undefined) {
    this.keys = keys === undefined ? undefined : new Set(keys)
  }

  get partial(): boolean {
    return this.keys !== undefined
  }

  has(key: string | number): boolean {
    return this.keys === undefined || (typeof key === 'string' && this.keys.has(key))
  }

  /** Whether a patch read from the journal stays inside what this store persists. */
  accepts(patch: Patch): boolean {
    return patch.path.length === 0 ? this.keys === undefined : this.has(patch.path[0]!)
  }

  /** The persisted part of a state: the state itself, or an object of the fields it has. */
  pick(state: unknown): unknown {
    if (this.keys === undefined || !isPlainObject(state)) return state
    const picked: Record<string, unknown> = {}
    for (const key of this.keys) if (Object.hasOwn(state, key)) picked[key] = state[key]
    return picked
  }

  /**
   * A commit's patches cut down to the persisted fields. A whole new state (a recipe that returns
   * one, a replaced state) becomes one patch per changed field — identity decides, so this is
   * O(fields), and fields that did not change cost nothing.
   */
  project(patches: readonly Patch[], inverse: readonly Patch[]): Change {
    if (patches.length === 1 && patches[0]!.path.length === 0) {
      const previous = inverse.find((p) => p.path.length === 0)?.value
      const next = patches[0]!.value
      if (isPlainObject(previous) && isPlainObject(next)) return this.diff(previous, next)
      if (this.keys !== undefined) throw new Error('partialize needs a state that is an object of fields')
      return { patches: [...patches], inverse: [...inverse] }
    }
    if (this.keys === undefined) return { patches: [...patches], inverse: [...inverse] }
    if (patches.some((p) => p.path.length === 0))
      throw new Error('partialize needs a state that is an object of fields')
    const kept = (p: Patch) => this.has(p.path[0]!)
    return { patches: patches.filter(kept), inverse: inverse.filter(kept) }
  }

  /** The state after hydration: the persisted fields over `state`, or the persisted value itself. */
  merge(state: unknown, persisted: unknown): unknown {
    if (!isPlainObject(state) || !isPlainObject(persisted)) return persisted
    const merged: Record<string, unknown> = { ...state }
    for (const key of Object.keys(persisted)) if (this.has(key)) merged[key] = persisted[key]
    return merged
  }

  /**
   * Fields `state` persists that `persisted` lacks (a field added to the initial state since it
   * was written): adding them keeps the journal's state equal to the store's persisted part, so
   * a later patch inside such a field applies when the journal is read again.
   */
  missing(state: unknown, persisted: unknown): Change {
    const change: Change = { patches: [], inverse: [] }
    if (!isPlainObject(state) || !isPlainObject(persisted)) return change
    for (const key of Object.keys(state)) {
      if (!this.has(key) || Object.hasOwn(persisted, key)) continue
      change.patches.push({ op: 'add', path: [key], value: state[key] })
      change.inverse.push({ op: 'remove', path: [key] })
    }
    return change
  }

  /** Patches that set the persisted fields to `root` (another writer compacted or reset). */
  adopt(root: unknown): Patch[] {
    if (!isPlainObject(root)) return [{ op: 'replace', path: [], value: root }]
    return Object.keys(root)
      .filter((key) => this.has(key))
      .map((key) => ({ op: 'replace', path: [key], value: root[key] }))
  }

  private diff(previous: Record<string, unknown>, next: Record<string, unknown>): Change {
    const change: Change = { patches: [], inverse: [] }
    const keys = this.keys ?? new Set([...Object.keys(previous), ...Object.keys(next)])
    for (const key of keys) {
      const before = Object.hasOwn(previous, key)
      const after = Object.hasOwn(next, key)
      if (before && after && Object.is(previous[key], next[key])) continue
      if (!before && !after) continue
      change.patches.push(
        after
          ? { op: before ? 'replace' : 'add', path: [key], value: next[key] }
          : { op: 'remove', path: [key] },
      )
      change.inverse.push(
        before
          ? { op: after ? 'replace' : 'add', path: [key], value: previous[key] }
          : { op: 'remove', path: [key] },
      )
    }
    return change
  }
}
