import type { ExecutionNode } from './ports.js'

/** How often and how long an operation retries one node before the route moves on. */
export interface RetryOptions {
  /** Total attempts per node, the first included (default 3). */
  attempts?: number
  /** First backoff in ms; doubles each retry (default 100). */
  baseDelayMs?: number
  /** Backoff cap in ms (default 2000). */
  maxDelayMs?: number
  /** Full jitter: each delay is random in [0, backoff] (default true). */
  jitter?: boolean
}

/** The circuit breaker of remote nodes. */
export interface BreakerOptions {
  /** Consecutive transport failures (TRANSPORT/TIMEOUT) that open a remote node's circuit (default 5). */
  failureThreshold?: number
  /** How long an open circuit refuses calls before letting one trial through (default 10000 ms). */
  cooldownMs?: number
}

/** Retry, timeout and breaker settings of a policy. */
export interface PolicyOptions {
  retry?: RetryOptions
  /** Per attempt; an attempt over time is aborted and fails with `TIMEOUT` (default 10000 ms, 0 = none). */
  timeoutMs?: number
  breaker?: BreakerOptions
}

/**
 * A policy orders the nodes an operation tries: the first that succeeds answers; a retryable
 * failure (after retries) or an open circuit falls through to the next; any other error stops.
 */
export interface PolicyDefinition {
  name: string
  /** The nodes a query or a write tries, in order, chosen from the registered ones. */
  route(kind: 'query' | 'write', nodes: readonly ExecutionNode[]): ExecutionNode[]
  options?: PolicyOptions
  /** Options for writes when they differ from `options` (default: the same). */
  writeOptions?: PolicyOptions
  /**
   * The route's write node is a durable queue that accepts every write at once and delivers the
   * writes to one id in order itself (the sync outbox). The runtime then hands each write over as
   * it is made, instead of holding a write back until the earlier writes to its ids settle.
   */
  queued?: boolean
}
