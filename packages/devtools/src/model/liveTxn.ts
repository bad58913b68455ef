import type { TxnRecord } from '@atoma/runtime'
import { liveValue } from './inspect.js'
import { liveChanges } from './liveChanges.js'
import { livePatchBytes } from './patchBytes.js'
import { type TxnView, txnKey } from './txnView.js'

/** A live `TxnRecord` seen through the panel: nothing is copied or serialized until asked for. */
export function liveTxn(label: string, record: TxnRecord, listeners: number | undefined): TxnView {
  let bytes: ReturnType<typeof livePatchBytes> | undefined
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
  }
}
