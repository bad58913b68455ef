import { isPlainObject, unknownProperty } from './validate/json.js'

/**
 * Development-only fault injection, to watch the client's retries, rollbacks and fallbacks.
 * `failureRate` is the probability that a request to `/ops` fails: with `failWrites` unset the
 * whole request answers 503 (the client sees a retryable TRANSPORT error and nothing was
 * applied); with `failWrites` queries pass and each write entry is rejected, unapplied, with a
 * retryable TRANSPORT error, which exercises partial batches and rollbacks.
 */
export interface ChaosOptions {
  latencyMs?: number
  failureRate?: number
  failWrites?: boolean
}

/** The chaos settings in force, every field set (`0` / `false` when off). */
export type ChaosSettings = Required<ChaosOptions>

export const CHAOS_OFF: ChaosSettings = { latencyMs: 0, failureRate: 0, failWrites: false }
const MAX_LATENCY_MS = 60_000

/** Validates chaos settings (options or a `POST /chaos` body); absent fields are off. Throws an Error naming the problem. */
export function parseChaos(raw: unknown): ChaosSettings {
  if (!isPlainObject(raw))
    throw new Error('chaos must be an object { latencyMs?, failureRate?, failWrites? }')
  const unknown = unknownProperty(raw, ['latencyMs', 'failureRate', 'failWrites'])
  if (unknown !== undefined) throw new Error(`chaos has an unknown property ${JSON.stringify(unknown)}`)
  const { latencyMs = 0, failureRate = 0, failWrites = false } = raw
  if (
    typeof latencyMs !== 'number' ||
    !Number.isInteger(latencyMs) ||
    latencyMs < 0 ||
    latencyMs > MAX_LATENCY_MS
  ) {
    throw new Error(`chaos.latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}`)
  }
  if (typeof failureRate !== 'number' || !(failureRate >= 0 && failureRate <= 1)) {
    throw new Error('chaos.failureRate must be a number from 0 to 1')
  }
  if (typeof failWrites !== 'boolean') throw new Error('chaos.failWrites must be a boolean')
  return { latencyMs, failureRate, failWrites }
}

export function isChaosOn(settings: ChaosSettings): boolean {
  return settings.latencyMs > 0 || settings.failureRate > 0
}

export class Chaos {
  settings: ChaosSettings = CHAOS_OFF

  delay(): Promise<void> {
    const { latencyMs } = this.settings
    return latencyMs > 0 ? new Promise((resolve) => setTimeout(resolve, latencyMs)) : Promise.resolve()
  }

  failsRequest(): boolean {
    return !this.settings.failWrites && this.roll()
  }

  failsWrite(): boolean {
    return this.settings.failWrites && this.roll()
  }

  private roll(): boolean {
    return this.settings.failureRate > 0 && Math.random() < this.settings.failureRate
  }
}
