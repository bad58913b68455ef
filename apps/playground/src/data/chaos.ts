/** The server's chaos settings (development only; see @atoma/server's README). */
export interface Chaos {
  latencyMs: number
  /** 0..1: the share of requests (or, with failWrites, of write entries) that fail. */
  failureRate: number
  /** Reject write entries (rolled back at once) instead of failing whole requests with a 503 (retried). */
  failWrites: boolean
}

export const CHAOS_OFF: Chaos = { latencyMs: 0, failureRate: 0, failWrites: true }

/** `GET` (no argument) or `POST` the settings; answers what the server now uses. */
export async function chaosRequest(settings?: Chaos): Promise<Chaos> {
  const response = await fetch(
    '/api/chaos',
    settings
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) }
      : {},
  )
  const body = (await response.json()) as { chaos?: Chaos; error?: { message: string } }
  if (!response.ok || !body.chaos)
    throw new Error(body.error?.message ?? `the server answered ${response.status}`)
  return body.chaos
}
