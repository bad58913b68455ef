import type { DebugSink } from '../debug/events.js'
import type { EffectOp, EffectOpKind, Middleware } from './effectOp.js'
import { errorMessage } from './errorMessage.js'
import { isThenable, type SettleOutcome, whenSettled } from './whenSettled.js'

/** The `data` of an `effectop` debug event. */
export interface EffectOpEventData {
  opId: string
  opKind: EffectOpKind
  status: 'ok' | 'error'
  durationMs: number
  /** The error's message, when `status` is `'error'`. */
  error?: string
  /** The error's `AtomaError` code (`ABORTED`, `TIMEOUT`...), when it has one. */
  errorCode?: string
  /** The op's payload (an action's), by reference: the devtools preview it, bounded, when shown. */
  payload?: unknown
  /** The route the kernel took (`meta.route` of a backend call's result, or of its error). */
  route?: unknown[]
}

/** `meta.route` of a kernel result, or `route` of a kernel error, read without trusting the shape. */
function routeOf(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const carrier = value as { meta?: { route?: unknown }; route?: unknown }
  const route = carrier.meta?.route ?? carrier.route
  return Array.isArray(route) ? route : undefined
}

/**
 * Emits one `effectop` debug event per op when it settles, with its duration and status (docs/architecture.md §7).
 * `createRuntime` puts it in the stack when devtools are on. `meta` is read at settle time, so a
 * `txnId` the op records while running is included. A synchronous throw is reported and rethrown;
 * a rejection is reported and still delivered to the caller.
 */
export function debugObserver(sink: DebugSink): Middleware {
  return <R>(op: EffectOp<R>, next: (op: EffectOp<R>) => R): R => {
    const startedAt = performance.now()
    let value: unknown
    const report = (outcome: SettleOutcome): void => {
      const data: EffectOpEventData = {
        opId: op.id,
        opKind: op.kind,
        status: outcome.status,
        durationMs: performance.now() - startedAt,
      }
      if (outcome.status === 'error') {
        data.error = errorMessage(outcome.error)
        const code = (outcome.error as { code?: unknown } | null)?.code
        if (typeof code === 'string') data.errorCode = code
      }
      if (op.payload !== undefined) data.payload = op.payload
      const route = routeOf(outcome.status === 'error' ? outcome.error : value)
      if (route) data.route = route
      sink.emit({ kind: 'effectop', name: op.name, store: op.meta?.store, txnId: op.meta?.txnId, data })
    }
    let result: R
    try {
      result = next(op)
    } catch (error) {
      report({ status: 'error', error })
      throw error
    }
    if (!isThenable(result)) {
      value = result
      return whenSettled(result, report)
    }
    // One chain (no branch), so a rejection still reaches the caller once and only once.
    const observed = Promise.resolve(result).then((settled) => {
      value = settled
      return settled
    })
    return whenSettled(observed as R, report)
  }
}
