import type { ResolvedPolicyOptions } from './policyOptions.js'

/**
 * The wait before the attempt that follows failed attempt number `failedAttempt` (1-based):
 * `baseDelayMs · 2^(failedAttempt-1)`, capped at `maxDelayMs`; with jitter, uniformly random in
 * [0, that] ("full jitter"), so that clients failing together do not retry in lockstep.
 */
export function backoffDelay(
  failedAttempt: number,
  retry: ResolvedPolicyOptions['retry'],
  random: () => number,
): number {
  const capped = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failedAttempt - 1))
  return retry.jitter ? random() * capped : capped
}
