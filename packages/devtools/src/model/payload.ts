import type { JsonValue } from '@atoma/runtime'
import { opDataOf } from './eventData.js'
import type { EventIndex } from './eventIndex.js'
import { formatValue } from './formatValue.js'
import { type Inspectable, jsonValue, liveValue, previewOf } from './inspect.js'
import type { TxnView } from './txnView.js'

/**
 * The payload of the action that made `txn`, from the `action` op naming it. Only under `full`
 * instrumentation: a `light` store keeps nothing for debugging, and the panel shows nothing of it.
 */
export function actionPayload(
  index: EventIndex,
  txn: TxnView,
  source: 'live' | 'json',
): Inspectable | undefined {
  if (txn.origin.kind !== 'action' || !txn.full) return undefined
  for (const op of index.opsByTxn.get(txn.key) ?? []) {
    const data = opDataOf(op)
    if (data?.opKind !== 'action' || !data.hasPayload) continue
    return source === 'live' ? liveValue(data.payload) : jsonValue((data.payload ?? null) as JsonValue)
  }
  return undefined
}

/** One short line of a payload, for a list row. */
export function payloadText(payload: Inspectable | undefined, max = 60): string | undefined {
  return payload === undefined ? undefined : formatValue(previewOf(payload), max)
}
