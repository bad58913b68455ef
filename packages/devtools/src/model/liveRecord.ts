import type { TxnRecord } from '@atoma/runtime'

/** Whether a `state:update` event's record has the shape of the runtime's `TxnRecord`. */
export function isLiveRecord(value: unknown): value is TxnRecord {
  const record = value as Partial<TxnRecord> | null
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof record?.txnId === 'number' &&
    typeof record.store === 'string' &&
    typeof record.origin === 'object' &&
    record.origin !== null &&
    typeof record.origin.kind === 'string' &&
    Array.isArray(record.patches) &&
    Array.isArray(record.inversePatches)
  )
}
