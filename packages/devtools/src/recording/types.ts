import type { JsonValue } from '@atoma/runtime'

/**
 * The JSON file the panel exports and imports. Everything runtime-specific in it went through
 * `toSerializable`, so Map/Set/Date/BigInt/cycles are `$type` markers; nothing in it is code.
 */
export const RECORDING_FORMAT = 'atoma-devtools-recording'
/** The version of the recording format this panel writes and reads. */
export const RECORDING_VERSION = 1

/** An entity id or a path segment, as recorded. */
export type RecordedId = string | number

/** An immer patch, its value serialized with `toSerializable`. */
export interface RecordedPatch {
  op: 'add' | 'remove' | 'replace'
  path: RecordedId[]
  value?: JsonValue
}

/** One changed entity (collections) or top-level key (stores): absent `before`/`after` = did not exist. */
export interface RecordedChange {
  path: RecordedId[]
  before?: JsonValue
  after?: JsonValue
}

/** A transaction's origin (`TxnOrigin`), as recorded. */
export interface RecordedOrigin {
  kind: string
  name?: string
  opId?: string
}

/** A `TxnRecord` as recorded: patches capped, and instead of whole snapshots the changes they imply. */
export interface RecordedTxn {
  txnId: number
  store: string
  origin: RecordedOrigin
  patches: RecordedPatch[]
  inversePatches: RecordedPatch[]
  /** Patches beyond the cap that were left out (of `patches`; `inversePatches` is cut the same way). */
  patchesOmitted: number
  /** UTF-8 size of all the patches as JSON, measured before the cap (see `patchBytesApprox`). */
  patchBytes: number
  /** The live measurement sampled the patches or met a value too big to serialize whole. */
  patchBytesApprox: boolean
  changedIds?: RecordedId[]
  startedAt: number
  durationMs: number
  changes: RecordedChange[]
  changesOmitted: number
  /** Whole snapshots, for plain stores only (a collection's would be as big as the collection). */
  before?: JsonValue
  after?: JsonValue
}

/** One DevtoolsHub event, as recorded. */
export interface RecordedEvent {
  eventId: number
  timestamp: number
  runtimeLabel: string
  kind: 'state:update' | 'effectop' | 'lifecycle' | 'diagnostic' | 'react-render' | 'devtools'
  store?: string
  name?: string
  txnId?: number
  patchCount?: number
  originKind?: string
  /** For `state:update` a `RecordedUpdate`; otherwise the serialized data. */
  data?: JsonValue | RecordedUpdate
}

/** The data of a recorded `state:update` event: the transaction it reported. */
export interface RecordedUpdate {
  record: RecordedTxn
  /** Listeners the commit notified. */
  listeners?: number
}

/** A runtime registered with the DevtoolsHub: its label and store names. */
export interface RecordedInstance {
  label: string
  stores: string[]
  registeredAt: number
  /** Each store's kind, so a replay rebuilds collections as collections (absent in older files). */
  kinds?: Record<string, 'store' | 'collection'>
}

/** A whole recording: the hub's events, runtimes, latest states and histories. */
export interface DevtoolsRecording {
  format: typeof RECORDING_FORMAT
  version: typeof RECORDING_VERSION
  exportedAt: string
  bufferSize: number
  instances: RecordedInstance[]
  events: RecordedEvent[]
  /** label -> store -> serialized latest state */
  states: Record<string, Record<string, JsonValue>>
  /** label -> store -> recorded history, oldest first */
  histories: Record<string, Record<string, RecordedTxn[]>>
}
