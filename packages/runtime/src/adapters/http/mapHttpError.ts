import { AtomaError, type AtomaErrorCode } from '../../errors.js'

const EXCERPT = 200

/** A body cut to 200 characters, whitespace collapsed, for error messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat
}

/**
 * HTTP status → error code: network and 5xx are TRANSPORT (retryable), 408 TIMEOUT, 429
 * RATE_LIMITED (retryable after `Retry-After`), 400/413/422 VALIDATION, 409 CONFLICT, 401
 * UNAUTHENTICATED and 403 FORBIDDEN (signing in may help, retrying as is will not), anything else
 * TRANSPORT that is not retried (a wrong URL does not heal by itself). The server's own
 * `{ error: { message } }` is kept.
 */
export function mapHttpStatus(
  status: number,
  body: string,
  url: string,
  retryAfter?: string | null,
  method = 'POST',
): AtomaError {
  let code: AtomaErrorCode = 'TRANSPORT'
  let retryable = false
  let retryAfterMs: number | undefined
  if (status >= 500) retryable = true
  else if (status === 408) {
    code = 'TIMEOUT'
    retryable = true
  } else if (status === 429) {
    code = 'RATE_LIMITED'
    retryable = true
    retryAfterMs = parseRetryAfter(retryAfter)
  } else if (status === 400 || status === 413 || status === 422) code = 'VALIDATION'
  else if (status === 409) code = 'CONFLICT'
  else if (status === 401) code = 'UNAUTHENTICATED'
  else if (status === 403) code = 'FORBIDDEN'
  // The server's own code, when it names one of ours (413 says RESPONSE_TOO_LARGE, not only VALIDATION).
  const named = serverCode(body)
  if (named) code = named
  return new AtomaError(code, `${method} ${url} answered ${status}: ${serverMessage(body)}`, {
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

/** `Retry-After` is seconds or an HTTP date; a wait beyond a minute is capped (the kernel's budget decides). */
function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now()
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 60_000) : undefined
}

const CODES: ReadonlySet<string> = new Set<AtomaErrorCode>([
  'VALIDATION',
  'CONFLICT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RESPONSE_TOO_LARGE',
  'RATE_LIMITED',
  'TIMEOUT',
  'TRANSPORT',
  'UNKNOWN_STORE',
])

function serverCode(body: string): AtomaErrorCode | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } } | null)?.error?.code
    return typeof code === 'string' && CODES.has(code) ? (code as AtomaErrorCode) : undefined
  } catch {
    return undefined
  }
}

function serverMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    const error = (parsed as { error?: { message?: unknown } } | null)?.error
    if (typeof error?.message === 'string') return excerpt(error.message)
  } catch {
    // Not JSON: show what came back.
  }
  return body ? excerpt(body) : '(empty body)'
}

/** A request that never got an answer (the network, a refused connection): retryable TRANSPORT. */
export function networkError(url: string, error: unknown, method = 'POST'): AtomaError {
  const message = error instanceof Error ? error.message : String(error)
  return new AtomaError('TRANSPORT', `${method} ${url} failed: ${message}`, { retryable: true, cause: error })
}
