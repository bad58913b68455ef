/**
 * Every error Atoma raises. One module owns the codes so that callers can switch on `code`
 * and plugins can classify failures without parsing messages.
 */
export type AtomaErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'TRANSPORT'
  | 'TIMEOUT'
  | 'REJECTED'
  | 'NO_EXECUTION_NODE'
  | 'UNKNOWN_STORE'
  | 'UNKNOWN_ACTION'
  | 'DUPLICATE_STORE'
  | 'REENTRANT_TRANSACTION'
  | 'RECIPE_FAILED'
  | 'UNSAFE_PATCH'
  | 'INVALID_ARGUMENT'
  | 'CIRCUIT_OPEN'
  | 'ABORTED'

/** Codes whose failures are worth retrying when nothing says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<AtomaErrorCode> = new Set(['TRANSPORT', 'TIMEOUT'])

export interface AtomaErrorOptions {
  retryable?: boolean
  store?: string
  id?: unknown
  entryId?: string
  /** For `CONFLICT`: the server's current version of the item. */
  current?: unknown
  cause?: unknown
}

export class AtomaError extends Error {
  override readonly name = 'AtomaError'
  readonly code: AtomaErrorCode
  readonly retryable: boolean
  readonly store?: string
  readonly id?: unknown
  readonly entryId?: string
  readonly current?: unknown

  constructor(code: AtomaErrorCode, message: string, options: AtomaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code)
    if (options.store !== undefined) this.store = options.store
    if (options.id !== undefined) this.id = options.id
    if (options.entryId !== undefined) this.entryId = options.entryId
    if (options.current !== undefined) this.current = options.current
  }
}

export function isAtomaError(value: unknown): value is AtomaError {
  return value instanceof AtomaError
}

/** The plain shape an error travels in across ports and the wire. */
export interface ErrorInfo {
  code: AtomaErrorCode
  message: string
  retryable: boolean
  current?: unknown
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AtomaError) {
    const info: ErrorInfo = { code: error.code, message: error.message, retryable: error.retryable }
    if (error.current !== undefined) info.current = error.current
    return info
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'TRANSPORT', message, retryable: true }
}

export function fromErrorInfo(info: ErrorInfo, context: AtomaErrorOptions = {}): AtomaError {
  return new AtomaError(info.code, info.message, {
    ...context,
    retryable: info.retryable,
    current: info.current,
  })
}
