import type { TxnRecord } from '@atoma/runtime'
import { liveValue } from './inspect.js'
import type { ChangePage, ChangeView, TxnId } from './txnView.js'

interface Keyed {
  get(key: unknown): unknown
  has(key: unknown): boolean
}

function isKeyed(value: unknown): value is Keyed & { entries(): Iterable<[unknown, unknown]>; size: number } {
  const candidate = value as Partial<Keyed> | null
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof candidate?.get === 'function' &&
    typeof candidate.has === 'function'
  )
}

/** The value at `key` of a Map-like or an object, or `absent` when it has none. */
function childOf(container: unknown, key: TxnId): { value: unknown } | undefined {
  if (isKeyed(container)) return container.has(key) ? { value: container.get(key) } : undefined
  if (typeof container === 'object' && container !== null && Object.hasOwn(container, key))
    return { value: (container as Record<TxnId, unknown>)[key] }
  return undefined
}

const pathsCache = new WeakMap<TxnRecord, readonly TxnId[][]>()

/**
 * The paths a live transaction changed, one per entity (collections) or top-level key (stores):
 * a collection's come from `changedIds` (the write plan's own list), else from the patches; a
 * whole-state replace (a devtools jump, hydration) is compared entity by entity, once per record.
 */
function changedPaths(record: TxnRecord): readonly TxnId[][] {
  const cached = pathsCache.get(record)
  if (cached) return cached
  const paths = computePaths(record)
  pathsCache.set(record, paths)
  return paths
}

function computePaths(record: TxnRecord): TxnId[][] {
  const { before, after } = record
  if (before === undefined && after === undefined) return []
  const keyed = isKeyed(after) || isKeyed(before)
  if (keyed && record.changedIds) return record.changedIds.map((id) => [id])
  const heads: TxnId[] = []
  const seen = new Set<TxnId>()
  for (const patch of record.patches) {
    const head = patch.path[0]
    if (head === undefined) return keyed ? compareEntries(before, after) : [[]]
    if (!seen.has(head)) {
      seen.add(head)
      heads.push(head)
    }
  }
  return heads.map((head) => [head])
}

/** Ids whose entry differs by identity between two maps: entries are immutable, so `!==` means changed. */
function compareEntries(before: unknown, after: unknown): TxnId[][] {
  const paths: TxnId[][] = []
  const was = isKeyed(before) ? before : undefined
  const now = isKeyed(after) ? after : undefined
  if (now)
    for (const [id, value] of now.entries())
      if (!was?.has(id) || was.get(id) !== value) paths.push([id as TxnId])
  if (was) for (const [id] of was.entries()) if (!now?.has(id)) paths.push([id as TxnId])
  return paths
}

export function liveChanges(record: TxnRecord, offset: number, limit: number): ChangePage {
  const paths = changedPaths(record)
  const items = paths.slice(offset, offset + limit).map((path): ChangeView => {
    const head = path[0]
    if (head === undefined) return { path, before: liveValue(record.before), after: liveValue(record.after) }
    const before = childOf(record.before, head)
    const after = childOf(record.after, head)
    return {
      path,
      before: before === undefined ? undefined : liveValue(before.value),
      after: after === undefined ? undefined : liveValue(after.value),
    }
  })
  return { items, total: paths.length, omitted: 0 }
}

/**
 * What differs between two states of one store (two transactions' snapshots, a travelled point
 * and live): for a collection the entities whose value is not the same object (entries are
 * immutable, so identity says it), for a store the top-level keys, else the whole value. One
 * pass over the entries, O(n) for a collection, paged like a transaction's changes.
 */
export function compareStates(
  before: unknown,
  after: unknown,
  /** The only keys that can differ (what the transactions in between changed); all when absent. */
  keys?: ReadonlySet<TxnId>,
): (offset: number, limit: number) => ChangePage {
  let paths: TxnId[][] | undefined
  const pathsOf = (): TxnId[][] => {
    if (paths) return paths
    if (keys && (isKeyed(before) || isKeyed(after))) {
      paths = []
      for (const key of keys) {
        const was = childOf(before, key)
        const now = childOf(after, key)
        if ((was === undefined) !== (now === undefined) || was?.value !== now?.value) paths.push([key])
      }
    } else if (isKeyed(before) || isKeyed(after)) paths = compareEntries(before, after)
    else if (isPlainRecord(before) && isPlainRecord(after)) {
      paths = []
      for (const key of Object.keys(after))
        if (!Object.hasOwn(before, key) || before[key] !== after[key]) paths.push([key])
      for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) paths.push([key])
    } else paths = Object.is(before, after) ? [] : [[]]
    return paths
  }
  return (offset, limit) => {
    const all = pathsOf()
    const items = all.slice(offset, offset + limit).map((path): ChangeView => {
      const head = path[0]
      if (head === undefined)
        return {
          path,
          before: before === undefined ? undefined : liveValue(before),
          after: after === undefined ? undefined : liveValue(after),
        }
      const was = childOf(before, head)
      const now = childOf(after, head)
      return {
        path,
        before: was === undefined ? undefined : liveValue(was.value),
        after: now === undefined ? undefined : liveValue(now.value),
      }
    })
    return { items, total: all.length, omitted: 0 }
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isKeyed(value)
}

/** Above this many, comparing every entry is as cheap as looking the keys up one by one. */
const MAX_KEYS = 20_000

/**
 * The keys (entity ids, top-level keys) that `records` changed, or undefined when one of them
 * replaced the whole state (a hydration, a jump) or they changed too many to be worth listing.
 */
export function changedKeysOf(records: readonly TxnRecord[]): Set<TxnId> | undefined {
  const keys = new Set<TxnId>()
  for (const record of records) {
    if (record.changedIds) for (const id of record.changedIds) keys.add(id)
    else
      for (const patch of record.patches) {
        const head = patch.path[0]
        if (head === undefined) return undefined
        keys.add(head)
      }
    if (keys.size > MAX_KEYS) return undefined
  }
  return keys
}
