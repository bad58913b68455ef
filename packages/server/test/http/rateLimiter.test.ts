import { describe, expect, it } from 'vitest'
import { parseRateLimit, RateLimiter } from '../../src/http/rateLimiter.js'

describe('RateLimiter', () => {
  it('lets a burst through, then refills perSecond tokens a second, per principal', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 })
    const at = 1_000_000
    expect([1, 2, 3].map(() => limiter.take('a', at))).toEqual([undefined, undefined, undefined])
    expect(limiter.take('a', at)).toBe(500)
    expect(limiter.take('b', at)).toBeUndefined()
    expect(limiter.take('a', at + 250)).toBe(250)
    expect(limiter.take('a', at + 500)).toBeUndefined()
    expect(limiter.take('a', at + 500)).toBe(500)
    // Idle for long: back to a full burst, never more.
    expect([1, 2, 3, 4].map(() => limiter.take('a', at + 60_000))).toEqual([
      undefined,
      undefined,
      undefined,
      500,
    ])
  })

  it('validates its options', () => {
    expect(parseRateLimit(undefined)).toEqual({ perSecond: 50, burst: 200 })
    expect(parseRateLimit(false)).toBe(false)
    expect(parseRateLimit({ burst: 5 })).toEqual({ perSecond: 50, burst: 5 })
    expect(() => parseRateLimit({ perSecond: 0 })).toThrow('rateLimit.perSecond must be a positive number')
    expect(() => parseRateLimit({ burst: 1.5 })).toThrow('rateLimit.burst must be a positive integer')
  })
})
