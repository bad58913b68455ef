import type { JsonValue } from '@atoma/runtime'
import { EVENT_KINDS } from '../model/describeEvent.js'
import {
  type DevtoolsRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedChange,
  type RecordedEvent,
  type RecordedInstance,
  type RecordedPatch,
  type RecordedTxn,
} from './types.js'

/** What `parseRecording` returns: the checked recording, or the first problem found in the text. */
export type ParsedRecording = { ok: true; recording: DevtoolsRecording } | { ok: false; error: string }

/** Bigger files are refused before parsing. */
export const MAX_RECORDING_CHARS = 64 * 1024 * 1024
/** Deeper JSON is refused: every walker in the panel stays far from the stack limit. */
const MAX_DEPTH = 64
const MAX_ITEMS = 1_000_000
const MAX_NAME = 1_000

class Refused extends Error {}

/**
 * Reads a recording file. Every field is checked by hand against the format (recording/types.ts);
 * the first problem refuses the whole file with a message naming where it is. Nothing in the file
 * is ever executed or rendered as markup: it is data, shown as text.
 */
export function parseRecording(text: string): ParsedRecording {
  if (text.length > MAX_RECORDING_CHARS)
    return {
      ok: false,
      error: `The file is too large (${text.length} characters; at most ${MAX_RECORDING_CHARS}).`,
    }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return {
      ok: false,
      error: `The file is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`,
    }
  }
  try {
    return { ok: true, recording: checkRecording(parsed) }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.message }
    throw error
  }
}

type Obj = Record<string, unknown>

function refuse(path: string, problem: string): never {
  throw new Refused(`Not a valid Atoma devtools recording: ${path} ${problem}.`)
}

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(path, 'must be an object')
  return value as Obj
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) refuse(path, 'must be an array')
  if (value.length > MAX_ITEMS) refuse(path, `has more than ${MAX_ITEMS} items`)
  return value
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') refuse(path, 'must be a string')
  if (value.length > MAX_NAME) refuse(path, `is longer than ${MAX_NAME} characters`)
  return value
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) refuse(path, 'must be a finite number')
  return value
}

function count(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) refuse(path, 'must be a non-negative integer')
  return value as number
}

function optional<T>(
  object: Obj,
  key: string,
  path: string,
  check: (value: unknown, path: string) => T,
): T | undefined {
  return Object.hasOwn(object, key) ? check(object[key], `${path}.${key}`) : undefined
}

function id(value: unknown, path: string): string | number {
  return typeof value === 'number' ? number(value, path) : string(value, path)
}

/** Parsed JSON is always JSON; what is checked is its depth, without recursion. */
function json(value: unknown, path: string): JsonValue {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (typeof item !== 'object' || item === null) continue
    if (depth >= MAX_DEPTH) refuse(path, `is nested deeper than ${MAX_DEPTH} levels`)
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1])
  }
  return value as JsonValue
}

/** A map keyed by names (labels, stores): own keys only, each value checked. */
function keyed<T>(
  value: unknown,
  path: string,
  check: (value: unknown, path: string) => T,
): Record<string, T> {
  const source = object(value, path)
  const out: Record<string, T> = {}
  for (const key of Object.keys(source)) {
    string(key, `${path} key`)
    // defineProperty, not assignment: a key named `__proto__` must stay an own key.
    Object.defineProperty(out, key, {
      value: check(source[key], `${path}[${JSON.stringify(key)}]`),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

function checkRecording(value: unknown): DevtoolsRecording {
  const root = object(value, 'the file')
  if (root.format !== RECORDING_FORMAT) refuse('"format"', `must be "${RECORDING_FORMAT}"`)
  if (root.version !== RECORDING_VERSION)
    refuse('"version"', `must be ${RECORDING_VERSION} (this panel reads version ${RECORDING_VERSION})`)
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    exportedAt: string(root.exportedAt, 'exportedAt'),
    bufferSize: count(root.bufferSize, 'bufferSize'),
    instances: array(root.instances, 'instances').map((item, index) =>
      checkInstance(item, `instances[${index}]`),
    ),
    events: array(root.events, 'events').map((item, index) => checkEvent(item, `events[${index}]`)),
    states: keyed(root.states, 'states', (stores, path) => keyed(stores, path, json)),
    histories: keyed(root.histories, 'histories', (stores, path) =>
      keyed(stores, path, (list, listPath) =>
        array(list, listPath).map((item, index) => checkTxn(item, `${listPath}[${index}]`)),
      ),
    ),
  }
}

function checkInstance(value: unknown, path: string): RecordedInstance {
  const item = object(value, path)
  const instance: RecordedInstance = {
    label: string(item.label, `${path}.label`),
    stores: array(item.stores, `${path}.stores`).map((store, index) =>
      string(store, `${path}.stores[${index}]`),
    ),
    registeredAt: number(item.registeredAt, `${path}.registeredAt`),
  }
  const kinds = optional(item, 'kinds', path, (kindsValue, kindsPath) =>
    keyed(kindsValue, kindsPath, (kind, kindPath) => {
      if (kind !== 'store' && kind !== 'collection') refuse(kindPath, 'must be "store" or "collection"')
      return kind as 'store' | 'collection'
    }),
  )
  if (kinds) instance.kinds = kinds
  return instance
}

function checkEvent(value: unknown, path: string): RecordedEvent {
  const item = object(value, path)
  const kind = item.kind
  if (typeof kind !== 'string' || !(EVENT_KINDS as readonly string[]).includes(kind))
    refuse(`${path}.kind`, `must be one of ${EVENT_KINDS.join(', ')}`)
  const event: RecordedEvent = {
    eventId: count(item.eventId, `${path}.eventId`),
    timestamp: number(item.timestamp, `${path}.timestamp`),
    runtimeLabel: string(item.runtimeLabel, `${path}.runtimeLabel`),
    kind: kind as RecordedEvent['kind'],
  }
  const store = optional(item, 'store', path, string)
  const name = optional(item, 'name', path, string)
  const txnId = optional(item, 'txnId', path, count)
  const patchCount = optional(item, 'patchCount', path, count)
  const originKind = optional(item, 'originKind', path, string)
  if (store !== undefined) event.store = store
  if (name !== undefined) event.name = name
  if (txnId !== undefined) event.txnId = txnId
  if (patchCount !== undefined) event.patchCount = patchCount
  if (originKind !== undefined) event.originKind = originKind
  if (kind === 'state:update') {
    const data = object(item.data, `${path}.data`)
    const listeners = optional(data, 'listeners', `${path}.data`, count)
    const record = checkTxn(data.record, `${path}.data.record`)
    event.data = listeners === undefined ? { record } : { record, listeners }
  } else if (Object.hasOwn(item, 'data')) {
    event.data = json(item.data, `${path}.data`)
  }
  return event
}

function checkTxn(value: unknown, path: string): RecordedTxn {
  const item = object(value, path)
  const origin = object(item.origin, `${path}.origin`)
  const originName = optional(origin, 'name', `${path}.origin`, string)
  const opId = optional(origin, 'opId', `${path}.origin`, string)
  const txn: RecordedTxn = {
    txnId: count(item.txnId, `${path}.txnId`),
    store: string(item.store, `${path}.store`),
    origin: {
      kind: string(origin.kind, `${path}.origin.kind`),
      ...(originName === undefined ? {} : { name: originName }),
      ...(opId === undefined ? {} : { opId }),
    },
    patches: array(item.patches, `${path}.patches`).map((patch, index) =>
      checkPatch(patch, `${path}.patches[${index}]`),
    ),
    inversePatches: array(item.inversePatches, `${path}.inversePatches`).map((patch, index) =>
      checkPatch(patch, `${path}.inversePatches[${index}]`),
    ),
    patchesOmitted: count(item.patchesOmitted, `${path}.patchesOmitted`),
    patchBytes: count(item.patchBytes, `${path}.patchBytes`),
    patchBytesApprox: item.patchBytesApprox === true,
    startedAt: number(item.startedAt, `${path}.startedAt`),
    durationMs: number(item.durationMs, `${path}.durationMs`),
    changes: array(item.changes, `${path}.changes`).map((change, index) =>
      checkChange(change, `${path}.changes[${index}]`),
    ),
    changesOmitted: count(item.changesOmitted, `${path}.changesOmitted`),
  }
  const changedIds = optional(item, 'changedIds', path, array)
  if (changedIds)
    txn.changedIds = changedIds.map((changed, index) => id(changed, `${path}.changedIds[${index}]`))
  const before = optional(item, 'before', path, json)
  const after = optional(item, 'after', path, json)
  if (before !== undefined) txn.before = before
  if (after !== undefined) txn.after = after
  return txn
}

function checkPatch(value: unknown, path: string): RecordedPatch {
  const item = object(value, path)
  const op = item.op
  if (op !== 'add' && op !== 'remove' && op !== 'replace')
    refuse(`${path}.op`, 'must be add, remove or replace')
  const patch: RecordedPatch = {
    op,
    path: array(item.path, `${path}.path`).map((segment, index) => id(segment, `${path}.path[${index}]`)),
  }
  const patchValue = optional(item, 'value', path, json)
  if (patchValue !== undefined) patch.value = patchValue
  return patch
}

function checkChange(value: unknown, path: string): RecordedChange {
  const item = object(value, path)
  const change: RecordedChange = {
    path: array(item.path, `${path}.path`).map((segment, index) => id(segment, `${path}.path[${index}]`)),
  }
  const before = optional(item, 'before', path, json)
  const after = optional(item, 'after', path, json)
  if (before !== undefined) change.before = before
  if (after !== undefined) change.after = after
  return change
}
