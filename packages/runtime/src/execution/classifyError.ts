import { AtomaError } from '../errors.js'

/**
 * Maps whatever a node threw onto the error model: an `AtomaError` is the node's own verdict and
 * keeps its code and `retryable`; an `AbortError`/`TimeoutError` (a fetch cut short) is a
 * `TIMEOUT`; anything else is a `TRANSPORT` failure. The last two are retryable, because nothing
 * says the node refused the request on its merits.
 */
export function classifyError(thrown: unknown, nodeId: string): AtomaError {
  if (thrown instanceof AtomaError) return thrown
  // DOMException (what fetch rejects with on abort) inherits from Error in browsers and Node.
  const name = thrown instanceof Error ? thrown.name : undefined
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  if (name === 'AbortError' || name === 'TimeoutError')
    return new AtomaError('TIMEOUT', `node '${nodeId}' was aborted: ${message}`, { cause: thrown })
  return new AtomaError('TRANSPORT', `node '${nodeId}' failed: ${message}`, { cause: thrown })
}
