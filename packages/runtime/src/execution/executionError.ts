import { AtomaError, type AtomaErrorCode, type AtomaErrorOptions } from '../errors.js'
import type { RouteStep } from './ports.js'

/**
 * What the kernel rejects with: an `AtomaError` (same `code`, `retryable`, `store`...) that also
 * carries the route trail of the failed operation, so that a failure is as observable as a
 * success's `meta.route`. Callers that only know `AtomaError` lose nothing; callers that want the
 * trail read `error.route` (it is always present on kernel errors, empty when nothing was tried).
 */
export class ExecutionError extends AtomaError {
  readonly route: readonly RouteStep[]

  constructor(
    code: AtomaErrorCode,
    message: string,
    route: readonly RouteStep[],
    options: AtomaErrorOptions = {},
  ) {
    super(code, message, options)
    this.route = route
  }
}
