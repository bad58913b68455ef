import type { AtomaErrorCode, ErrorInfo, Id } from '@atoma/runtime/protocol'

export function errorInfo(code: AtomaErrorCode, message: string, retryable = false): ErrorInfo {
  return { code, message, retryable }
}

/** Thrown while handling one op; the op answers `{ ok: false, error: info }`. */
export class OpFailure extends Error {
  readonly info: ErrorInfo

  constructor(info: ErrorInfo) {
    super(info.message)
    this.info = info
  }
}

export function validationFailure(message: string): OpFailure {
  return new OpFailure(errorInfo('VALIDATION', message))
}

const MAX_QUOTED = 60

/** A client-supplied value for an error message: JSON-quoted and cut short, so a hostile megabyte string stays out of logs and responses. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value)
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text
  return JSON.stringify(cut)
}

/** A failure of the whole HTTP request, answered with `status` and `{ error: { code, message, retryable } }`. */
export class HttpError extends Error {
  readonly status: number
  readonly info: ErrorInfo
  readonly headers: Record<string, string>

  constructor(
    status: number,
    code: AtomaErrorCode,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.status = status
    this.info = errorInfo(code, message, options.retryable ?? false)
    if (options.retryAfterMs !== undefined) this.info.retryAfterMs = options.retryAfterMs
    this.headers = options.headers ?? {}
  }
}

/**
 * How messages name an item or a write entry: `todos/1 (entry "e3")`, `todos/"1" (entry "e4")` —
 * numbers bare and strings quoted, since 1 and "1" are different entities.
 */
export function entryRef(store: string, id: Id | undefined, entryId?: string): string {
  const target = id === undefined ? store : `${store}/${typeof id === 'number' ? id : quote(id)}`
  return entryId === undefined ? target : `${target} (entry ${quote(entryId)})`
}
