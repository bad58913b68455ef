import { jsonDisplayNameOf } from '../model/displayName.js'
import { jsonValue } from '../model/inspect.js'
import { type TxnView, txnKey } from '../model/txnView.js'
import type { RecordedTxn } from './types.js'

/** A transaction of an imported recording: everything is already serialized and read-only. */
export function recordedTxn(label: string, record: RecordedTxn, listeners: number | undefined): TxnView {
  return {
    key: txnKey(label, record.txnId),
    label,
    txnId: record.txnId,
    store: record.store,
    origin: record.origin,
    patchCount: record.patches.length + record.patchesOmitted,
    changedIds: record.changedIds,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    listeners,
    patchesOmitted: record.patchesOmitted,
    patchAt(index) {
      const patch = record.patches[index]
      if (!patch) return undefined
      return {
        op: patch.op,
        path: patch.path,
        value: patch.value === undefined ? undefined : jsonValue(patch.value),
      }
    },
    changes: (offset, limit) => ({
      items: record.changes.slice(offset, offset + limit).map((change) => ({
        path: change.path,
        before: change.before === undefined ? undefined : jsonValue(change.before),
        after: change.after === undefined ? undefined : jsonValue(change.after),
      })),
      total: record.changes.length,
      omitted: record.changesOmitted,
    }),
    snapshot(which) {
      const value = which === 'before' ? record.before : record.after
      return value === undefined ? undefined : jsonValue(value)
    },
    patchBytes: () => ({ bytes: record.patchBytes, approx: record.patchBytesApprox }),
    entityName() {
      const first = record.changes[0]
      return first && (jsonDisplayNameOf(first.after) ?? jsonDisplayNameOf(first.before))
    },
    full: record.patches.length > 0 || record.changes.length > 0 || record.before !== undefined,
  }
}
