import type { TxnRecord } from '@atoma/runtime'
import { displayNameOf } from './displayName.js'
import { liveValue } from './inspect.js'
import { liveChanges } from './liveChanges.js'
import { livePatchBytes } from './patchBytes.js'
import { type TxnView, txnKey } from './txnView.js'

/** A live `TxnRecord` seen through the panel: nothing is copied or serialized until asked for. */
export function liveTxn(label: string, record: TxnRecord, listeners: number | undefined): TxnView {
  let bytes: ReturnType<typeof livePatchBytes> | undefined
  let name: string | undefined | null = null
  return {
    key: txnKey(label, record.txnId),
    label,
    txnId: record.txnId,
    store: record.store,
    origin: record.origin,
    patchCount: record.patches.length,
    changedIds: record.changedIds,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    listeners,
    patchesOmitted: 0,
    patchAt(index) {
      const patch = record.patches[index]
      if (!patch) return undefined
      return {
        op: patch.op,
        path: patch.path,
        value: patch.op === 'remove' ? undefined : liveValue(patch.value),
      }
    },
    changes: (offset, limit) => liveChanges(record, offset, limit),
    snapshot: (which) => {
      const value = which === 'before' ? record.before : record.after
      return value === undefined ? undefined : liveValue(value)
    },
    patchBytes() {
      bytes ??= livePatchBytes(record.patches)
      return bytes
    },
    entityName() {
      if (name === null) name = firstEntityName(record)
      return name
    },
    full: record.before !== undefined || record.after !== undefined || record.patches.length > 0,
  }
}

/** The display name of the first entity a collection transaction changed (its value after, or before a delete). */
function firstEntityName(record: TxnRecord): string | undefined {
  const id = record.changedIds?.[0] ?? record.patches[0]?.path[0]
  if (id === undefined) return undefined
  const read = (state: unknown) =>
    typeof (state as { get?: unknown } | undefined)?.get === 'function'
      ? (state as { get(id: unknown): unknown }).get(id)
      : undefined
  return displayNameOf(read(record.after)) ?? displayNameOf(read(record.before))
}
