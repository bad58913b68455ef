import { AtomaError } from '../errors.js'
import type { PolicyOptions } from './policy.js'

/** A policy's options with every default filled in: what the kernel actually runs with. */
export interface ResolvedPolicyOptions {
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number; jitter: boolean }
  timeoutMs: number
  breaker: { failureThreshold: number; cooldownMs: number }
}

export const DEFAULT_POLICY_OPTIONS: ResolvedPolicyOptions = {
  retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2000, jitter: true },
  timeoutMs: 10_000,
  breaker: { failureThreshold: 5, cooldownMs: 10_000 },
}

/**
 * Merges a policy's options over the defaults field by field (a policy setting only
 * `retry.attempts` keeps the default backoff). Checked once, at registration, so that a typo
 * such as `attempts: 0` fails where it was written instead of as an odd run-time behaviour.
 */
export function resolvePolicyOptions(policy: string, options: PolicyOptions = {}): ResolvedPolicyOptions {
  const resolved: ResolvedPolicyOptions = {
    retry: { ...DEFAULT_POLICY_OPTIONS.retry, ...defined(options.retry) },
    timeoutMs: options.timeoutMs ?? DEFAULT_POLICY_OPTIONS.timeoutMs,
    breaker: { ...DEFAULT_POLICY_OPTIONS.breaker, ...defined(options.breaker) },
  }
  const invalid = (field: string, value: unknown, expected: string) =>
    new AtomaError(
      'INVALID_ARGUMENT',
      `policy '${policy}': ${field} must be ${expected}, got ${String(value)}`,
    )
  const { retry, breaker, timeoutMs } = resolved
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1)
    throw invalid('retry.attempts', retry.attempts, 'an integer >= 1')
  if (!(retry.baseDelayMs >= 0)) throw invalid('retry.baseDelayMs', retry.baseDelayMs, 'a number >= 0')
  if (!(retry.maxDelayMs >= 0)) throw invalid('retry.maxDelayMs', retry.maxDelayMs, 'a number >= 0')
  if (typeof retry.jitter !== 'boolean') throw invalid('retry.jitter', retry.jitter, 'a boolean')
  if (!(timeoutMs >= 0)) throw invalid('timeoutMs', timeoutMs, 'a number >= 0 (0 = no timeout)')
  if (!Number.isInteger(breaker.failureThreshold) || breaker.failureThreshold < 1)
    throw invalid('breaker.failureThreshold', breaker.failureThreshold, 'an integer >= 1')
  if (!(breaker.cooldownMs >= 0)) throw invalid('breaker.cooldownMs', breaker.cooldownMs, 'a number >= 0')
  return resolved
}

/** Drops fields explicitly set to `undefined`, so that they do not erase a default in a spread. */
function defined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {}
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
