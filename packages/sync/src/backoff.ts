/**
 * Capped exponential backoff with full jitter, retrying forever: the n-th consecutive failure
 * waits a random time in [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹], never above `maxMs`. Half the span is kept as a
 * floor so a burst of failures still spreads out rather than retrying at once.
 */
export interface Backoff {
  /** The wait after one more failure. */
  fail(): number
  /** A success: the next failure starts from the base again. */
  reset(): void
  readonly failures: number
}

export function backoff(baseMs = 500, maxMs = 30_000, random: () => number = Math.random): Backoff {
  let failures = 0
  return {
    fail() {
      failures++
      const span = Math.min(maxMs, baseMs * 2 ** (failures - 1))
      return span / 2 + random() * (span / 2)
    },
    reset() {
      failures = 0
    },
    get failures() {
      return failures
    },
  }
}
