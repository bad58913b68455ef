/** The server's chaos settings (development only; see @atoma/server's README). */
export interface Chaos {
  latencyMs: number
  /** 0..1: the share of requests (or, with failWrites, of write entries) that fail. */
  failureRate: number
  /** Fail write entries one by one (retryable) instead of whole requests with a 503. */
  failWrites: boolean
}

export const CHAOS_OFF: Chaos = { latencyMs: 0, failureRate: 0, failWrites: true }

/**
 * `GET` (no settings) or `POST` the settings, as the signed-in user (`/chaos` takes the same
 * authentication as the rest); answers what the server now uses.
 */
export async function chaosRequest(headers: Record<string, string>, settings?: Chaos): Promise<Chaos> {
  const response = await fetch(
    '/api/chaos',
    settings
      ? {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(settings),
        }
      : { headers },
  )
  const body = (await response.json()) as { chaos?: Chaos; error?: { message: string } }
  if (!response.ok || !body.chaos)
    throw new Error(body.error?.message ?? `the server answered ${response.status}`)
  return body.chaos
}
