import type { RemoteOpResult } from '@atoma/runtime/protocol'
import { errorInfo, OpFailure, quote, validationFailure } from '../errors.js'
import { unknownProperty } from '../validate/json.js'
import type { RawOp } from '../validate/parseEnvelope.js'
import type { OpsContext } from './opsContext.js'
import { runQueryOp } from './runQueryOp.js'
import { runWriteOp } from './runWriteOp.js'

/** Runs the ops one after another (a query sees the writes before it) and answers each in order. */
export async function runOps(ops: readonly RawOp[], context: OpsContext): Promise<RemoteOpResult[]> {
  const results: RemoteOpResult[] = []
  for (const op of ops) results.push(await runOp(op, context))
  return results
}

async function runOp(op: RawOp, context: OpsContext): Promise<RemoteOpResult> {
  const { opId } = op
  try {
    const { kind, store } = op
    if (kind !== 'query' && kind !== 'write') throw validationFailure('op.kind must be "query" or "write"')
    const unknown = unknownProperty(op, ['opId', 'kind', 'store', kind === 'query' ? 'query' : 'entries'])
    if (unknown !== undefined)
      throw validationFailure(`a ${kind} op has an unknown property ${quote(unknown)}`)
    if (typeof store !== 'string') throw validationFailure('op.store must be a string')
    const collection = context.collections.get(store)
    if (collection === undefined)
      throw new OpFailure(errorInfo('UNKNOWN_STORE', `unknown store ${quote(store)}`))
    return kind === 'query'
      ? await runQueryOp(opId, op.query, collection, context)
      : await runWriteOp(opId, op.entries, collection, context)
  } catch (error) {
    if (error instanceof OpFailure) return { opId, ok: false, error: error.info }
    context.onError(error)
    return { opId, ok: false, error: errorInfo('TRANSPORT', 'internal error while running the op', true) }
  }
}
