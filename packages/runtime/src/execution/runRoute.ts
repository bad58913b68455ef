import { AtomaError, type AtomaErrorCode, toErrorInfo } from '../errors.js'
import type { CircuitBreaker } from './breaker.js'
import { classifyError } from './classifyError.js'
import { ExecutionError } from './executionError.js'
import type { ResolvedPolicyOptions } from './policyOptions.js'
import type { ExecutionNode, NodeTrace, RouteStep } from './ports.js'
import { backoffDelay } from './retry.js'
import { withTimeout } from './withTimeout.js'

/** The failures that say something about a node's reachability, hence what the breaker counts. */
const TRANSPORT_FAILURES: ReadonlySet<AtomaErrorCode> = new Set(['TRANSPORT', 'TIMEOUT'])

export interface RouteClock {
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random: () => number
}

export interface RouteRun<R> {
  kind: 'query' | 'write'
  store: string
  policy: string
  /** The routed nodes, in the order the policy chose; never empty. */
  nodes: readonly ExecutionNode[]
  options: ResolvedPolicyOptions
  /** The caller's signal. */
  signal: AbortSignal | undefined
  /** One attempt on one node: calls it with the same input every time and checks its result. */
  call: (node: ExecutionNode, signal: AbortSignal) => Promise<R>
  /** Remote nodes have one; local nodes have none (a local failure is not a network condition). */
  breakerOf: (node: ExecutionNode) => CircuitBreaker | undefined
  clock: RouteClock
}

export interface RouteSuccess<R> {
  value: R
  node: ExecutionNode
  route: RouteStep[]
}

/**
 * Runs one operation down its route: per node, attempts with backoff while the failure is
 * retryable, then the next node; a non-retryable failure or the caller's abort stops at once.
 * Every attempt (and every node skipped by its breaker) is a step of the route, which the
 * result carries as `meta.route` and a failure as `ExecutionError.route`.
 */
export async function runRoute<R>(run: RouteRun<R>): Promise<RouteSuccess<R>> {
  const { kind, store, policy, options, signal, clock } = run
  const route: RouteStep[] = []
  const failed: Array<{ node: ExecutionNode; error: AtomaError }> = []
  const aborted = () =>
    new ExecutionError(
      'ABORTED',
      `store '${store}': the ${kind} was aborted by the caller (policy '${policy}', after ${route.filter((s) => s.outcome !== 'circuit-open').length} attempt(s))`,
      route,
      { store, cause: signal?.reason },
    )

  for (const node of run.nodes) {
    const breaker = run.breakerOf(node)
    const step = (
      attempt: number,
      outcome: RouteStep['outcome'],
      ms: number,
      error?: AtomaError,
      from?: unknown,
    ) => {
      const trace = (from as { trace?: NodeTrace } | null | undefined)?.trace
      route.push({
        node: node.id,
        source: node.source,
        attempt,
        outcome,
        ms,
        ...(error === undefined ? {} : { error: toErrorInfo(error) }),
        ...(trace === undefined ? {} : { trace }),
      })
    }
    let last: AtomaError | undefined
    for (let attempt = 1; attempt <= options.retry.attempts; attempt++) {
      if (signal?.aborted) throw aborted()
      const permit = breaker ? breaker.acquire(options.breaker, clock.now()) : 'pass'
      if (breaker && permit === 'blocked') {
        // The failure that opened the circuit stays reachable: CIRCUIT_OPEN says "not tried", its
        // cause says why (the network error a caller would otherwise never see).
        const cause = breaker.cause
        last = new AtomaError(
          'CIRCUIT_OPEN',
          `node '${node.id}' was skipped: ${breaker.describe(options.breaker, clock.now())}`,
          { store, retryable: true, ...(cause === undefined ? {} : { cause }) },
        )
        step(attempt, 'circuit-open', 0, last)
        break
      }
      const trial = permit === 'trial'
      if (attempt > 1) {
        // A server that said when to come back (429 Retry-After) is waited for at least that long.
        const delay = Math.max(
          backoffDelay(attempt - 1, options.retry, clock.random),
          last?.retryAfterMs ?? 0,
        )
        await sleepUnlessAborted(clock.sleep, delay, signal)
        if (signal?.aborted) {
          breaker?.released(trial)
          throw aborted()
        }
      }
      const started = clock.now()
      try {
        const value = await withTimeout((attemptSignal) => run.call(node, attemptSignal), {
          caller: signal,
          timeoutMs: options.timeoutMs,
          label: `node '${node.id}'`,
        })
        step(attempt, 'ok', clock.now() - started, undefined, value)
        breaker?.succeeded()
        return { value, node, route }
      } catch (thrown) {
        const error = classifyError(thrown, node.id)
        step(attempt, error.code === 'TIMEOUT' ? 'timeout' : 'error', clock.now() - started, error, thrown)
        if (signal?.aborted) {
          breaker?.released(trial)
          throw aborted()
        }
        // A malformed result is a (non-retryable) TRANSPORT failure and counts too: the node is broken.
        if (TRANSPORT_FAILURES.has(error.code)) breaker?.failed(trial, options.breaker, clock.now(), error)
        else breaker?.succeeded()
        if (!error.retryable)
          throw new ExecutionError(
            error.code,
            `store '${store}': the ${kind} failed on node '${node.id}' (policy '${policy}'): ${error.message}`,
            route,
            {
              store,
              retryable: false,
              cause: error,
              ...(error.current === undefined ? {} : { current: error.current }),
              ...(error.id === undefined ? {} : { id: error.id }),
              ...(error.entryId === undefined ? {} : { entryId: error.entryId }),
            },
          )
        last = error
      }
    }
    // attempts >= 1 (checked at registration), so every node that did not answer left an error.
    if (last) failed.push({ node, error: last })
  }

  // The route is never empty, so at least one node failed. A final CIRCUIT_OPEN keeps its code
  // (the node was not tried) and has the failure that opened the circuit as the cause.
  const final = failed.at(-1)!.error
  const cause = final.code === 'CIRCUIT_OPEN' && final.cause !== undefined ? final.cause : final
  const tried = failed.map(({ node, error }) => `'${node.id}' (${error.code}: ${error.message})`).join('; ')
  throw new ExecutionError(
    final.code,
    `store '${store}': the ${kind} failed on every node tried (policy '${policy}'): ${tried}`,
    route,
    { store, retryable: final.retryable, cause },
  )
}

/** The backoff wait, cut short by the caller's abort even if the injected `sleep` ignores the signal. */
function sleepUnlessAborted(
  sleep: RouteClock['sleep'],
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return sleep(ms)
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => resolve()
    signal.addEventListener('abort', onAbort, { once: true })
    sleep(ms, signal)
      // A sleep that rejects because it was aborted (like node:timers/promises) is the abort, not a failure.
      .then(resolve, (error: unknown) => (signal.aborted ? resolve() : reject(error)))
      .finally(() => signal.removeEventListener('abort', onAbort))
  })
}
