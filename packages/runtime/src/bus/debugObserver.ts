import type { DebugSink } from '../debug/events.js'
import type { EffectOp, EffectOpKind, Middleware } from './effectOp.js'
import { errorMessage } from './errorMessage.js'
import { type SettleOutcome, whenSettled } from './whenSettled.js'

/** The `data` of an `effectop` debug event. */
export interface EffectOpEventData {
  opId: string
  opKind: EffectOpKind
  status: 'ok' | 'error'
  durationMs: number
  /** The error's message, when `status` is `'error'`. */
  error?: string
}

/**
 * Emits one `effectop` debug event per op when it settles, with its duration and status (DESIGN §7).
 * `createRuntime` puts it in the stack when devtools are on. `meta` is read at settle time, so a
 * `txnId` the op records while running is included. A synchronous throw is reported and rethrown;
 * a rejection is reported and still delivered to the caller.
 */
export function debugObserver(sink: DebugSink): Middleware {
  return <R>(op: EffectOp<R>, next: (op: EffectOp<R>) => R): R => {
    const startedAt = performance.now()
    const report = (outcome: SettleOutcome): void => {
      const data: EffectOpEventData = {
        opId: op.id,
        opKind: op.kind,
        status: outcome.status,
        durationMs: performance.now() - startedAt,
      }
      if (outcome.status === 'error') data.error = errorMessage(outcome.error)
      sink.emit({ kind: 'effectop', name: op.name, store: op.meta?.store, txnId: op.meta?.txnId, data })
    }
    let result: R
    try {
      result = next(op)
    } catch (error) {
      report({ status: 'error', error })
      throw error
    }
    return whenSettled(result, report)
  }
}
