import { AtomaError } from '../../errors.js'

/**
 * A backend checks its signal before it touches anything, so an aborted call has no effect
 * (and again where it can still drop its work, e.g. after a read).
 * The error keeps the signal's reason as its cause (a timeout's reason tells it apart).
 */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new AtomaError('ABORTED', `${what} was aborted`, { cause: signal.reason })
  }
}
