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
  /** No (valid) credentials: signing in again may help, retrying as is will not. */
  | 'UNAUTHENTICATED'
  /** The caller is known but may not do this (a rule refused it). */
  | 'FORBIDDEN'
  /** The answer would exceed the server's per-request budget of rows or bytes. */
  | 'RESPONSE_TOO_LARGE'
  /** Too many requests; `retryAfterMs` says when to come back. */
  | 'RATE_LIMITED'

/** Codes whose failures are worth retrying when nothing says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<AtomaErrorCode> = new Set(['TRANSPORT', 'TIMEOUT', 'RATE_LIMITED'])

export interface AtomaErrorOptions {
  retryable?: boolean
  store?: string
  id?: unknown
  entryId?: string
  /** For `CONFLICT`: the server's current version of the item. */
  current?: unknown
  /** For `CONFLICT`: the version the server holds `current` at. */
  currentVersion?: number
  /** For `RATE_LIMITED` (and any retryable failure): wait at least this long before trying again. */
  retryAfterMs?: number
  cause?: unknown
}

/**
 * A brand instead of `instanceof`: an app that ends up with two copies of @atoma/runtime (two
 * bundles, a linked package) still recognises the other copy's errors.
 */
const BRAND = Symbol.for('atoma.error')

/**
 * The error every part of Atoma reports: a `code`, a message naming the store, id or entry, and
 * whether retrying can help. `instanceof` and `isAtomaError` recognise errors of another copy of
 * the package too.
 */
export class AtomaError extends Error {
  override readonly name = 'AtomaError'
  readonly code: AtomaErrorCode
  readonly retryable: boolean
  readonly store?: string
  readonly id?: unknown
  readonly entryId?: string
  readonly current?: unknown
  readonly currentVersion?: number
  readonly retryAfterMs?: number

  constructor(code: AtomaErrorCode, message: string, options: AtomaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code)
    if (options.store !== undefined) this.store = options.store
    if (options.id !== undefined) this.id = options.id
    if (options.entryId !== undefined) this.entryId = options.entryId
    if (options.current !== undefined) this.current = options.current
    if (options.currentVersion !== undefined) this.currentVersion = options.currentVersion
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
  }

  get [BRAND](): true {
    return true
  }

  /** `instanceof AtomaError` agrees across copies; subclasses keep the ordinary check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about (a subclass included).
    return this === AtomaError
      ? isAtomaError(value)
      : // biome-ignore lint/complexity/noThisInStatic: as above.
        Function.prototype[Symbol.hasInstance].call(this, value)
  }
}

/** Whether `value` is an `AtomaError`, from this copy of the package or another. */
export function isAtomaError(value: unknown): value is AtomaError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}

/** The plain shape an error travels in across ports and the wire. */
export interface ErrorInfo {
  code: AtomaErrorCode
  message: string
  retryable: boolean
  current?: unknown
  currentVersion?: number
  retryAfterMs?: number
}

/** An error as it travels across ports and the wire; anything that is not an AtomaError is a retryable TRANSPORT failure. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isAtomaError(error)) {
    const info: ErrorInfo = { code: error.code, message: error.message, retryable: error.retryable }
    if (error.current !== undefined) info.current = error.current
    if (error.currentVersion !== undefined) info.currentVersion = error.currentVersion
    if (error.retryAfterMs !== undefined) info.retryAfterMs = error.retryAfterMs
    return info
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'TRANSPORT', message, retryable: true }
}

/** The AtomaError an `ErrorInfo` describes, with `context` (store, id, entry) added. */
export function fromErrorInfo(info: ErrorInfo, context: AtomaErrorOptions = {}): AtomaError {
  return new AtomaError(info.code, info.message, {
    ...context,
    retryable: info.retryable,
    current: info.current,
    currentVersion: info.currentVersion,
    retryAfterMs: info.retryAfterMs,
  })
}

/**
 * What a recipe, a schema or a listener threw, as an `AtomaError`: an `AtomaError` passes as it
 * is; anything else (an Error, a string, an object) becomes `RECIPE_FAILED` with `message` in front.
 */
export function asAtomaError(thrown: unknown, message: string, options: AtomaErrorOptions = {}): AtomaError {
  if (isAtomaError(thrown)) return thrown
  const reason = thrown instanceof Error ? thrown.message : String(thrown)
  return new AtomaError('RECIPE_FAILED', `${message}: ${reason}`, { ...options, cause: thrown })
}
