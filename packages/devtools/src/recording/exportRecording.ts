import {
  type DevtoolsSnapshot,
  getDevtoolsInstance,
  getDevtoolsSnapshot,
  isEntityMap,
  type Patch,
  type RuntimeDebugEvent,
  type TxnRecord,
  toSerializable,
} from '@atoma/runtime'
import { updateDataOf } from '../model/eventData.js'
import {
  diffForm,
  EVENT_LIMITS,
  PATCH_LIMITS,
  RECORDED_CHANGES,
  RECORDED_PATCHES,
  STATE_LIMITS,
} from '../model/limits.js'
import { liveChanges } from '../model/liveChanges.js'
import { isLiveRecord } from '../model/liveRecord.js'
import { livePatchBytes } from '../model/patchBytes.js'
import {
  type DevtoolsRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedEvent,
  type RecordedInstance,
  type RecordedPatch,
  type RecordedTxn,
} from './types.js'

/**
 * The page's DevtoolsHub as a JSON-safe recording: its events, instances, each store's latest
 * state and history. Read once, when called (the panel calls it on "Export"); a record that is in
 * both the events and a history is serialized once.
 */
export function exportRecording(snapshot: DevtoolsSnapshot = getDevtoolsSnapshot()): DevtoolsRecording {
  const recorded = new WeakMap<TxnRecord, RecordedTxn>()
  const txn = (record: TxnRecord): RecordedTxn => {
    let out = recorded.get(record)
    if (!out) {
      out = recordTxn(record)
      recorded.set(record, out)
    }
    return out
  }
  const instances = snapshot.instances.map((info): RecordedInstance => {
    const describe = getDevtoolsInstance(info.label)?.describe
    const instance: RecordedInstance = {
      label: info.label,
      stores: [...info.stores],
      registeredAt: info.registeredAt,
    }
    if (describe)
      instance.kinds = Object.fromEntries(info.stores.map((store) => [store, describe(store).kind]))
    return instance
  })
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    exportedAt: new Date().toISOString(),
    bufferSize: snapshot.bufferSize,
    instances,
    events: snapshot.events.map((event) => recordEvent(event, txn)),
    // fromEntries defines own properties, so a label or store named `__proto__` stays a plain key.
    states: Object.fromEntries(
      instances.map(({ label, stores }) => [
        label,
        Object.fromEntries(
          stores.map((store) => [store, toSerializable(snapshot.latestStates[label]?.[store], STATE_LIMITS)]),
        ),
      ]),
    ),
    histories: Object.fromEntries(
      instances.map(({ label, stores }) => {
        const handle = getDevtoolsInstance(label)
        return [
          label,
          Object.fromEntries(stores.map((store) => [store, (handle?.history(store) ?? []).map(txn)])),
        ]
      }),
    ),
  }
}

function recordEvent(event: RuntimeDebugEvent, txn: (record: TxnRecord) => RecordedTxn): RecordedEvent {
  const out: RecordedEvent = {
    eventId: event.eventId,
    timestamp: event.timestamp,
    runtimeLabel: event.runtimeLabel,
    kind: event.kind,
  }
  if (event.store !== undefined) out.store = event.store
  if (event.name !== undefined) out.name = event.name
  if (event.txnId !== undefined) out.txnId = event.txnId
  if (event.patchCount !== undefined) out.patchCount = event.patchCount
  if (event.originKind !== undefined) out.originKind = event.originKind
  const update = updateDataOf(event)
  if (update && isLiveRecord(update.record)) {
    out.data =
      update.listeners === undefined
        ? { record: txn(update.record) }
        : { record: txn(update.record), listeners: update.listeners }
  } else if (event.data !== undefined) {
    out.data = toSerializable(event.data, EVENT_LIMITS)
  }
  return out
}

function recordTxn(record: TxnRecord): RecordedTxn {
  const changes = liveChanges(record, 0, RECORDED_CHANGES)
  const bytes = livePatchBytes(record.patches)
  const out: RecordedTxn = {
    txnId: record.txnId,
    store: record.store,
    origin: { ...record.origin },
    patches: record.patches.slice(0, RECORDED_PATCHES).map(recordPatch),
    inversePatches: record.inversePatches.slice(0, RECORDED_PATCHES).map(recordPatch),
    patchesOmitted: Math.max(0, record.patches.length - RECORDED_PATCHES),
    patchBytes: bytes.bytes,
    patchBytesApprox: bytes.approx,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    changes: changes.items.map((change) => {
      const before = diffForm(change.before)
      const after = diffForm(change.after)
      return {
        path: [...change.path],
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
      }
    }),
    changesOmitted: changes.total - changes.items.length,
  }
  if (record.changedIds) out.changedIds = [...record.changedIds]
  // A collection's snapshot is as big as the collection: its changes stand in for it.
  if (!isEntityMap(record.before) && !isEntityMap(record.after)) {
    if (record.before !== undefined) out.before = toSerializable(record.before, STATE_LIMITS)
    if (record.after !== undefined) out.after = toSerializable(record.after, STATE_LIMITS)
  }
  return out
}

function recordPatch(patch: Patch): RecordedPatch {
  const out: RecordedPatch = { op: patch.op, path: [...patch.path] }
  if (patch.op !== 'remove') out.value = toSerializable(patch.value, PATCH_LIMITS)
  return out
}
