import type { EffectOp, Middleware } from './effectOp.js'
import { errorMessage } from './errorMessage.js'
import { type SettleOutcome, whenSettled } from './whenSettled.js'

export interface LoggerOptions {
  /** Receives each line; defaults to `console.debug` (looked up per line, so it can be stubbed). */
  log?: (line: string, op: EffectOp) => void
  /** Ops for which it returns false pass straight through, unmeasured. */
  filter?: (op: EffectOp) => boolean
}

/**
 * Logs one line per settled op: `[atoma] <kind> <store>/<name> <ms>ms ok|error: <message>`.
 * A synchronous throw is logged and rethrown.
 */
export function logger(options: LoggerOptions = {}): Middleware {
  const { filter } = options
  const log = options.log ?? ((line: string) => console.debug(line))
  return <R>(op: EffectOp<R>, next: (op: EffectOp<R>) => R): R => {
    if (filter !== undefined && !filter(op)) return next(op)
    const startedAt = performance.now()
    const report = (outcome: SettleOutcome): void => {
      log(formatLine(op, performance.now() - startedAt, outcome), op)
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

function formatLine(op: EffectOp, durationMs: number, outcome: SettleOutcome): string {
  const subject = op.meta?.store === undefined ? op.name : `${op.meta.store}/${op.name}`
  const status = outcome.status === 'ok' ? 'ok' : `error: ${errorMessage(outcome.error)}`
  return `[atoma] ${op.kind} ${subject} ${durationMs.toFixed(1)}ms ${status}`
}
