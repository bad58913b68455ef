import { AtomaError, type AtomaErrorCode } from '../../errors.js'

const EXCERPT = 200

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat
}

/**
 * HTTP status → error code: network and 5xx are TRANSPORT (retryable), 408 TIMEOUT, 400/413/422
 * VALIDATION, 409 CONFLICT, 401/403 REJECTED, anything else TRANSPORT that is not retried (a
 * wrong URL does not heal by itself). The server's own `{ error: { message } }` is kept.
 */
export function mapHttpStatus(status: number, body: string, url: string): AtomaError {
  let code: AtomaErrorCode = 'TRANSPORT'
  let retryable = false
  if (status >= 500) retryable = true
  else if (status === 408) {
    code = 'TIMEOUT'
    retryable = true
  } else if (status === 400 || status === 413 || status === 422) code = 'VALIDATION'
  else if (status === 409) code = 'CONFLICT'
  else if (status === 401 || status === 403) code = 'REJECTED'
  return new AtomaError(code, `POST ${url} answered ${status}: ${serverMessage(body)}`, { retryable })
}

function serverMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    const error = (parsed as { error?: { message?: unknown } } | null)?.error
    if (typeof error?.message === 'string') return error.message
  } catch {
    // Not JSON: show what came back.
  }
  return body ? excerpt(body) : '(empty body)'
}

export function networkError(url: string, error: unknown): AtomaError {
  const message = error instanceof Error ? error.message : String(error)
  return new AtomaError('TRANSPORT', `POST ${url} failed: ${message}`, { retryable: true, cause: error })
}
