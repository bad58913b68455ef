/** Requests per principal: a token bucket that refills `perSecond` tokens a second, up to `burst`. */
export interface RateLimitOptions {
  perSecond: number
  burst: number
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 50, burst: 200 }

/** Past this many principals tracked, buckets that are full again (idle principals) are dropped. */
const SWEEP_AT = 10_000

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(private readonly options: RateLimitOptions) {}

  /** Takes one token for `id`: undefined when there was one, else how long until there is (ms). */
  take(id: string, now = Date.now()): number | undefined {
    const { perSecond, burst } = this.options
    const bucket = this.buckets.get(id) ?? { tokens: burst, at: now }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)
    bucket.at = now
    if (!this.buckets.has(id)) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now)
      this.buckets.set(id, bucket)
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000)
  }

  private sweep(now: number): void {
    const { perSecond, burst } = this.options
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(id)
    }
  }
}

/** Validates the option; throws an Error naming the problem. */
export function parseRateLimit(raw: Partial<RateLimitOptions> | false | undefined): RateLimitOptions | false {
  if (raw === false) return false
  const { perSecond, burst } = { ...DEFAULT_RATE_LIMIT, ...raw }
  if (!(typeof perSecond === 'number' && perSecond > 0 && Number.isFinite(perSecond))) {
    throw new Error('rateLimit.perSecond must be a positive number')
  }
  if (!(Number.isInteger(burst) && burst >= 1)) throw new Error('rateLimit.burst must be a positive integer')
  return { perSecond, burst }
}
