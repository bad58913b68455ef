import { type EntityMap, isEntityMap, type Patch, type TxnRecord } from '@atoma/runtime'
import { enableMapSet, enablePatches, Immer } from 'immer'

// Patches and Map/Set drafting are immer plugins; the runtime enables them too (the same module),
// and a private instance keeps the panel's settings away from the app's own immer.
enablePatches()
enableMapSet()
const immer = new Immer({ autoFreeze: true })

type Segment = string | number

/** The part of a transaction a replay reads: its recorded patches and, as a fallback, its `after`. */
export type ReplayRecord = Pick<TxnRecord, 'txnId' | 'patches' | 'after'>

/**
 * A state with the recorded patches of `records` applied in order: how the panel recomputes a
 * store without re-running anything (no recipe, no request, no outbox). Collections are
 * `EntityMap`s and patches are logical (`[id, ...field]`), so only the entities a patch names are
 * touched. A field patch on an entity the state does not have (the record was made on another
 * line of history: while paused, or after a skipped transaction) takes that entity's whole value
 * from the record's `after` instead, which is what the record left it as.
 */
export function replay(state: unknown, records: readonly ReplayRecord[]): unknown {
  let current = state
  for (const record of records)
    current = isEntityMap(current) ? replayEntities(current, record) : replayPlain(current, record)
  return current
}

function replayPlain(state: unknown, record: ReplayRecord): unknown {
  if (record.patches.length === 0) return state
  try {
    return immer.applyPatches(state as object, record.patches as Patch[])
  } catch {
    // A path the state does not have: the record's own result is the best this line can get.
    return record.after === undefined ? state : record.after
  }
}

type Entities = EntityMap<unknown>

function replayEntities(state: unknown, record: ReplayRecord): unknown {
  const whole = record.patches.findLastIndex((patch) => patch.path.length === 0)
  let base = state as Entities
  let patches = record.patches
  if (whole >= 0) {
    // A whole-collection replace (hydration, a devtools jump): start from what it set.
    const value = record.patches[whole]?.value
    base = (isEntityMap(value) ? value : isEntityMap(record.after) ? record.after : state) as Entities
    patches = record.patches.slice(whole + 1)
  }
  if (patches.length === 0) return base
  const after = isEntityMap(record.after) ? (record.after as unknown as Entities) : undefined
  return base.withMutations((m) => {
    for (let index = 0; index < patches.length; ) {
      const patch = patches[index] as Patch
      const [id, ...rest] = patch.path as Segment[]
      index++
      if (id === undefined) continue
      if (rest.length === 0) {
        if (patch.op === 'remove') m.delete(id)
        else m.set(id, patch.value)
        continue
      }
      // Consecutive field patches of one entity are applied together.
      const fields: Patch[] = [{ ...patch, path: rest }]
      while (index < patches.length) {
        const next = patches[index] as Patch
        if (next.path.length < 2 || next.path[0] !== id) break
        fields.push({ ...next, path: next.path.slice(1) })
        index++
      }
      const entity = m.get(id)
      if (entity === undefined || entity === null || typeof entity !== 'object') {
        const whole = after?.get(id)
        if (whole !== undefined) m.set(id, whole)
        continue
      }
      try {
        m.set(id, immer.applyPatches(entity, fields))
      } catch {
        const whole = after?.get(id)
        if (whole !== undefined) m.set(id, whole)
      }
    }
  })
}

/** Where two recorded transactions touch the same place: one path is a prefix of the other. */
export interface Overlap {
  txnId: number
  path: readonly Segment[]
}

const keyOf = (path: readonly Segment[]): string =>
  path.map((segment) => `${typeof segment === 'number' ? 'n' : 's'}${segment}`).join('\u0000')

/**
 * The first of `later` whose patches touch a path `record` changed (the same path, inside it, or
 * around it): its recorded patches were computed on `record`'s result, so replaying it without
 * `record` would not mean what it meant. O(total path length).
 */
export function firstOverlap(
  record: Pick<TxnRecord, 'patches'>,
  later: readonly Pick<TxnRecord, 'txnId' | 'patches'>[],
): Overlap | undefined {
  const exact = new Set<string>()
  const prefixes = new Set<string>()
  for (const patch of record.patches) {
    exact.add(keyOf(patch.path))
    for (let length = 0; length <= patch.path.length; length++)
      prefixes.add(keyOf(patch.path.slice(0, length)))
  }
  if (exact.size === 0) return undefined
  for (const other of later)
    for (const patch of other.patches) {
      if (prefixes.has(keyOf(patch.path))) return { txnId: other.txnId, path: patch.path }
      for (let length = 0; length < patch.path.length; length++)
        if (exact.has(keyOf(patch.path.slice(0, length)))) return { txnId: other.txnId, path: patch.path }
    }
  return undefined
}
