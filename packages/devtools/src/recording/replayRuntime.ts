import {
  type AnyDef,
  type CollectionDef,
  createRuntime,
  type DevtoolsInstanceHandle,
  defineCollection,
  defineStore,
  EntityMap,
  type Id,
  type JsonValue,
  memoryBackend,
  type Patch,
  type Runtime,
  type StoreDef,
  type TxnOrigin,
} from '@atoma/runtime'
import { isJsonObject, markerOf } from '../model/json.js'
import { fromSerializable, NotRestorable } from '../redux/fromSerializable.js'
import { replay } from '../travel/replay.js'
import { Travel } from '../travel/travel.js'
import type {
  DevtoolsRecording,
  RecordedChange,
  RecordedInstance,
  RecordedPatch,
  RecordedTxn,
} from './types.js'

/** A runtime rebuilt from a recording, so its history can be travelled like a live one. */
export interface ReplayRuntimes {
  travel: Travel
  handle(label: string): DevtoolsInstanceHandle | undefined
  /** Transactions that could only be rebuilt in part (values cut by the recording's limits). */
  approximate: ReadonlySet<string>
}

/** The hidden store of the gap commits (a name no app store can take: it holds a NUL). */
const GAP_STORE = '\u0000gap'
/** Beyond this many ids to fill, the rebuilt ids are simply consecutive. */
const MAX_GAPS = 100_000

const ORIGINS = new Set([
  'action',
  'optimistic',
  'writeback',
  'rollback',
  'query',
  'sync',
  'hydrate',
  'devtools',
])

/**
 * Rebuilds, for each runtime of a recording, a read-only runtime (no backend but an empty memory
 * node, not joined to the hub) whose stores start where the recorded history starts and which
 * re-commits every recorded transaction from its recorded patches. Its history then holds real
 * before/after snapshots, so the panel's time travel (jump, slider, skip) works on it unchanged.
 * What the recording cut (patches beyond 200, values beyond its depth, a collection beyond 500
 * entities) cannot come back: such a transaction is rebuilt from its recorded changes instead,
 * and marked approximate. The rebuilt transactions keep their recorded ids (the ids between them
 * are filled by no-op commits of a hidden store), so both views of a recording name them alike.
 */
export function replayRuntimes(recording: DevtoolsRecording): ReplayRuntimes {
  const handles = new Map<string, DevtoolsInstanceHandle>()
  const approximate = new Set<string>()
  for (const instance of recording.instances) {
    const handle = rebuild(recording, instance, (txnId) => approximate.add(`${instance.label}\u0000${txnId}`))
    handles.set(instance.label, handle)
  }
  return {
    travel: new Travel((label) => handles.get(label)),
    handle: (label) => handles.get(label),
    approximate,
  }
}

function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined
}

function isCollection(instance: RecordedInstance, store: string, state: JsonValue | undefined): boolean {
  const kind = instance.kinds && own(instance.kinds, store)
  if (kind !== undefined) return kind === 'collection'
  return (
    markerOf(state) === 'Map' &&
    isJsonObject(state ?? null) &&
    (state as { className?: unknown }).className === 'EntityMap'
  )
}

function rebuild(
  recording: DevtoolsRecording,
  instance: RecordedInstance,
  markApproximate: (txnId: number) => void,
): DevtoolsInstanceHandle {
  const { label } = instance
  const states = own(recording.states, label)
  const histories = own(recording.histories, label)
  const defs = new Map<string, AnyDef>()
  const starts = new Map<string, unknown>()
  for (const store of instance.stores) {
    const state = own(states, store)
    const history = own(histories, store) ?? []
    if (isCollection(instance, store, state)) {
      defs.set(store, defineCollection<object>(store, { key: () => '' }))
      starts.set(store, startOfCollection(state, history, markApproximate))
    } else {
      const first = history[0]?.before
      let start: unknown
      try {
        start = first === undefined ? restore(state ?? null) : restore(first)
      } catch {
        start = undefined
      }
      defs.set(store, defineStore(store, { initial: start, actions: {} }))
    }
  }
  const length = Math.max(0, ...[...defs.keys()].map((store) => own(histories, store)?.length ?? 0))
  // A store of no-op commits that fill the ids between recorded transactions (other stores',
  // evicted ones), so the rebuilt transactions keep their recorded ids; it is not listed.
  const gap = defineStore(GAP_STORE, { initial: 0, actions: {} })
  const runtime = createRuntime({
    stores: [...defs.values(), gap],
    plugins: [memoryBackend({ id: 'recording' })],
    policy: 'direct-local',
    instrumentation: 'full',
    historySize: Math.max(500, length * 4 + 1),
  })
  const recorded: Array<{ store: string; txn: RecordedTxn }> = []
  for (const store of defs.keys())
    for (const txn of own(histories, store) ?? []) recorded.push({ store, txn })
  recorded.sort((a, b) => a.txn.txnId - b.txn.txnId)
  const collections = [...defs].filter(([, def]) => def.kind === 'collection')
  const hydrate = (store: string, def: AnyDef) =>
    runtime.applyPatches(def, [{ op: 'replace', path: [], value: starts.get(store) as EntityMap<object> }], {
      kind: 'hydrate',
      name: 'recording start',
    })
  // Each collection's start is committed just before its first recorded transaction, at a free id.
  const used = new Set(recorded.map(({ txn }) => txn.txnId))
  const startAt = new Map<number, string>()
  let matchable = (recorded.at(-1)?.txn.txnId ?? 0) <= MAX_GAPS + recorded.length
  for (const [store] of collections) {
    // A collection that started empty (the recording began with it) needs no start commit.
    if ((starts.get(store) as EntityMap<object>).size === 0) continue
    const first = recorded.find((item) => item.store === store)?.txn.txnId ?? Number.POSITIVE_INFINITY
    let id = Math.min(first, (recorded.at(-1)?.txn.txnId ?? 0) + 1) - 1
    while (id > 0 && (used.has(id) || startAt.has(id))) id--
    if (id <= 0) matchable = false
    else startAt.set(id, store)
  }
  if (!matchable) {
    for (const [store, def] of collections)
      if ((starts.get(store) as EntityMap<object>).size > 0) hydrate(store, def)
    for (const { store, txn } of recorded) recommit(runtime, defs.get(store) as AnyDef, txn, markApproximate)
  } else {
    const byId = new Map(recorded.map((item) => [item.txn.txnId, item]))
    const last = Math.max(recorded.at(-1)?.txn.txnId ?? 0, ...startAt.keys())
    for (let id = 1; id <= last; id++) {
      const item = byId.get(id)
      const start = startAt.get(id)
      if (item) recommit(runtime, defs.get(item.store) as AnyDef, item.txn, markApproximate)
      else if (start !== undefined) hydrate(start, defs.get(start) as AnyDef)
      else runtime.transact(gap, () => {}, { kind: 'sync', name: 'gap' })
    }
  }
  return handleOf(label, runtime, defs)
}

/** The collection as it was before its first recorded transaction: the latest state, walked back. */
function startOfCollection(
  state: JsonValue | undefined,
  history: readonly RecordedTxn[],
  markApproximate: (txnId: number) => void,
): EntityMap<object> {
  let current = EntityMap.empty<object>() as EntityMap<unknown>
  if (isJsonObject(state ?? null) && Array.isArray((state as { entries?: unknown }).entries)) {
    const entries: [Id, unknown][] = []
    for (const entry of (state as { entries: JsonValue[] }).entries) {
      if (!Array.isArray(entry) || entry.length !== 2) continue
      try {
        const id = restore(entry[0] as JsonValue)
        if (typeof id === 'string' || typeof id === 'number')
          entries.push([id, restore(entry[1] as JsonValue)])
      } catch {
        // An entity cut by the recording's limits: the collection starts without it.
      }
    }
    current = EntityMap.from(entries)
  }
  for (let index = history.length - 1; index >= 0; index--) {
    const txn = history[index] as RecordedTxn
    const inverse = restorePatches(txn.inversePatches, txn.patchesOmitted)
    const patches = inverse ?? changePatches(txn.changes, txn.changesOmitted, 'before')
    if (!inverse) markApproximate(txn.txnId)
    if (patches)
      current = replay(current, [{ txnId: txn.txnId, patches, after: undefined }]) as EntityMap<unknown>
  }
  return current as EntityMap<object>
}

function recommit(runtime: Runtime, def: AnyDef, txn: RecordedTxn, markApproximate: (txnId: number) => void) {
  const origin = {
    kind: ORIGINS.has(txn.origin.kind) ? txn.origin.kind : 'sync',
    ...(txn.origin.name === undefined ? {} : { name: txn.origin.name }),
  } as TxnOrigin
  if (def.kind === 'store' && txn.after !== undefined) {
    try {
      const after = restore(txn.after)
      runtime.transact(def as StoreDef<unknown>, () => after as never, origin)
      return
    } catch {
      // Cut by the limits: fall back to the patches below.
    }
  }
  const exact = restorePatches(txn.patches, txn.patchesOmitted)
  const patches = exact ?? changePatches(txn.changes, txn.changesOmitted, 'after')
  if (!exact) markApproximate(txn.txnId)
  try {
    runtime.applyPatches(def, patches ?? [], origin)
  } catch {
    markApproximate(txn.txnId)
    runtime.applyPatches(def, [], origin)
  }
}

function restore(value: JsonValue): unknown {
  return fromSerializable(value)
}

function restorePatches(patches: readonly RecordedPatch[], omitted: number): Patch[] | undefined {
  if (omitted > 0) return undefined
  try {
    return patches.map((patch) =>
      patch.value === undefined
        ? { op: patch.op, path: [...patch.path] }
        : { op: patch.op, path: [...patch.path], value: restore(patch.value) },
    )
  } catch (error) {
    if (error instanceof NotRestorable) return undefined
    throw error
  }
}

/** A transaction's recorded changes as whole-value patches: each changed entity or key set to its before/after. */
function changePatches(
  changes: readonly RecordedChange[],
  omitted: number,
  side: 'before' | 'after',
): Patch[] | undefined {
  if (omitted > 0) return undefined
  const patches: Patch[] = []
  for (const change of changes) {
    const value = change[side]
    try {
      patches.push(
        value === undefined
          ? { op: 'remove', path: [...change.path] }
          : { op: 'add', path: [...change.path], value: restore(value) },
      )
    } catch {
      return undefined
    }
  }
  return patches
}

function handleOf(
  label: string,
  runtime: Runtime,
  defs: ReadonlyMap<string, AnyDef>,
): DevtoolsInstanceHandle {
  const def = (store: string): AnyDef => {
    const found = defs.get(store)
    if (!found) throw new Error(`the recording has no store '${store}'`)
    return found
  }
  return {
    label,
    stores: () => [...defs.keys()],
    getState: (store) => runtime.store(def(store) as StoreDef<unknown>).getState(),
    history: (store) => runtime.history(def(store)),
    applyTransactionSnapshot: (txnId, which) => {
      runtime.applyTransactionSnapshot(txnId, which)
    },
    replaceState: (store, state, name) => {
      const target = def(store)
      if (target.kind === 'collection')
        runtime.applyPatches(target as CollectionDef<unknown>, [{ op: 'replace', path: [], value: state }], {
          kind: 'devtools',
          name,
        })
      else runtime.transact(target as StoreDef<unknown>, () => state as never, { kind: 'devtools', name })
    },
  }
}
