import { HttpError, quote } from '../errors.js'
import { isPlainObject, unknownProperty } from './json.js'
import { MAX_TOKEN_LENGTH } from './parseWriteEntries.js'

/** An op whose own fields are still unchecked; only what every result needs (its opId) is. */
export interface RawOp extends Record<string, unknown> {
  opId: string
}

/**
 * Checks the parts of `{ ops: [...] }` without which no per-op answer is possible; anything
 * wrong here is a 400 for the whole request. Everything inside an op is checked per op.
 */
export function parseEnvelope(body: unknown, maxOps: number): RawOp[] {
  if (!isPlainObject(body))
    throw new HttpError(400, 'VALIDATION', 'the body must be a JSON object { ops: [...] }')
  const unknown = unknownProperty(body, ['ops'])
  if (unknown !== undefined)
    throw new HttpError(400, 'VALIDATION', `the body has an unknown property ${quote(unknown)}`)
  const { ops } = body
  if (!Array.isArray(ops)) throw new HttpError(400, 'VALIDATION', 'body.ops must be an array')
  if (ops.length > maxOps) {
    throw new HttpError(400, 'VALIDATION', `too many ops in one request: ${ops.length} (at most ${maxOps})`)
  }
  return ops.map((op: unknown, index): RawOp => {
    if (!isPlainObject(op)) throw new HttpError(400, 'VALIDATION', `ops[${index}] must be an object`)
    const { opId } = op
    if (typeof opId !== 'string' || opId.length === 0 || opId.length > MAX_TOKEN_LENGTH) {
      throw new HttpError(
        400,
        'VALIDATION',
        `ops[${index}].opId must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`,
      )
    }
    return { ...op, opId }
  })
}
