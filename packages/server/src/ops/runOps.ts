import type { RemoteOpResult } from '@atoma/runtime/protocol'
import { StatementTimeout } from '../db/db.js'
import { errorInfo, OpFailure, quote, validationFailure } from '../errors.js'
import { DeadlinePassed } from '../request/deadline.js'
import type { RequestContext } from '../request/requestContext.js'
import { unknownProperty } from '../validate/json.js'
import type { RawOp } from '../validate/parseEnvelope.js'
import type { OpsContext } from './opsContext.js'
import { runQueryOp } from './runQueryOp.js'
import { runWriteOp } from './runWriteOp.js'

/**
 * Runs the ops one after another (a query sees the writes before it) and answers each in order.
 * Once the request's time is up, the ops left answer TIMEOUT without running (retryable: they
 * never had their turn).
 */
export async function runOps(
  ops: readonly RawOp[],
  server: OpsContext,
  request: RequestContext,
): Promise<RemoteOpResult[]> {
  const results: RemoteOpResult[] = []
  for (const [index, op] of ops.entries()) {
    if (request.deadline.expired) {
      const message = `the request ran out of time (limits.requestTimeoutMs ${server.limits.requestTimeoutMs}) before this op`
      results.push({ opId: op.opId, ok: false, error: errorInfo('TIMEOUT', message, true) })
      continue
    }
    results.push(await runOp(op, server, request, index === 0))
  }
  return results
}

async function runOp(
  op: RawOp,
  server: OpsContext,
  request: RequestContext,
  first: boolean,
): Promise<RemoteOpResult> {
  const { opId } = op
  try {
    const { kind, store } = op
    if (kind !== 'query' && kind !== 'write') throw validationFailure('op.kind must be "query" or "write"')
    const unknown = unknownProperty(op, ['opId', 'kind', 'store', kind === 'query' ? 'query' : 'entries'])
    if (unknown !== undefined)
      throw validationFailure(`a ${kind} op has an unknown property ${quote(unknown)}`)
    if (typeof store !== 'string') throw validationFailure('op.store must be a string')
    const collection = server.collections.get(store)
    if (collection === undefined)
      throw new OpFailure(errorInfo('UNKNOWN_STORE', `unknown store ${quote(store)}`))
    return kind === 'query'
      ? await runQueryOp(opId, op.query, collection, server, request)
      : await runWriteOp(opId, op.entries, collection, server, request)
  } catch (error) {
    if (error instanceof OpFailure) return { opId, ok: false, error: error.info }
    if (error instanceof StatementTimeout || error instanceof DeadlinePassed) {
      // Alone in its request the op had all the time there is; after others, it may fit alone.
      const message = `the op ran past the request's time (limits.requestTimeoutMs ${server.limits.requestTimeoutMs})`
      return { opId, ok: false, error: errorInfo('TIMEOUT', message, !first) }
    }
    server.onError(error)
    return { opId, ok: false, error: errorInfo('TRANSPORT', 'internal error while running the op', true) }
  }
}
