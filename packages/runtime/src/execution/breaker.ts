import type { AtomaError } from '../errors.js'
import type { KernelEvents } from './events.js'
import type { ResolvedPolicyOptions } from './policyOptions.js'
import type { ExecutionNode } from './ports.js'

type BreakerEvent = 'breaker:open' | 'breaker:half-open' | 'breaker:closed'
type Emit = <E extends BreakerEvent>(event: E, payload: KernelEvents[E]) => void
type BreakerConfig = ResolvedPolicyOptions['breaker']

/**
 * The circuit breaker of one remote node. It watches transport health only: consecutive
 * `TRANSPORT`/`TIMEOUT` failures open it; any answer from the node (a result, or an error the
 * node chose such as `CONFLICT`) proves the node reachable and resets the count. Thresholds come
 * from the policy of each call (`config`), the state belongs to the node, so all policies that
 * route to a node share what is known about it.
 *
 * closed --threshold failures--> open --cooldown elapsed, next call--> half-open (one trial)
 * half-open --trial answered--> closed;  half-open --trial failed--> open (a new cooldown)
 */
export class CircuitBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed'
  private failures = 0
  private openedAt = 0
  private trialInFlight = false
  /** The latest of the failures counted, so that a call it blocks can say why (`CIRCUIT_OPEN`'s cause). */
  private lastFailure: AtomaError | undefined

  constructor(
    private readonly node: ExecutionNode,
    private readonly emit: Emit,
  ) {}

  /**
   * Whether a call may reach the node now: `pass` while closed; the first call that finds the
   * cooldown over becomes the half-open `trial`, every other call is `blocked` until it ends.
   */
  acquire(config: BreakerConfig, now: number): 'pass' | 'trial' | 'blocked' {
    if (this.state === 'closed') return 'pass'
    if (this.state === 'open') {
      if (now < this.openedAt + config.cooldownMs) return 'blocked'
      this.state = 'half-open'
      this.emit('breaker:half-open', { node: this.node.id, source: this.node.source })
    }
    if (this.trialInFlight) return 'blocked'
    this.trialInFlight = true
    return 'trial'
  }

  /** The node answered (even a call let through before the circuit opened proves it reachable). */
  succeeded(): void {
    this.failures = 0
    this.lastFailure = undefined
    this.trialInFlight = false
    if (this.state === 'closed') return
    this.state = 'closed'
    this.emit('breaker:closed', { node: this.node.id, source: this.node.source })
  }

  /**
   * A transport failure (`TRANSPORT`/`TIMEOUT`). A failed trial re-opens the circuit; a late
   * failure of a call let through earlier only counts, the trial in flight decides.
   */
  failed(trial: boolean, config: BreakerConfig, now: number, error: AtomaError): void {
    this.failures += 1
    this.lastFailure = error
    if (trial) this.trialInFlight = false
    const reopen = trial && this.state === 'half-open'
    const trip = this.state === 'closed' && this.failures >= config.failureThreshold
    if (!reopen && !trip) return
    this.state = 'open'
    this.openedAt = now
    this.emit('breaker:open', { node: this.node.id, source: this.node.source, failures: this.failures })
  }

  /** A call ended without a verdict on the node (the caller aborted): a trial frees its slot. */
  released(trial: boolean): void {
    if (trial) this.trialInFlight = false
  }

  /** The transport failure behind the open circuit: the cause a blocked call reports. */
  get cause(): AtomaError | undefined {
    return this.lastFailure
  }

  /** For the `CIRCUIT_OPEN` message: what is blocking and when the next trial may pass. */
  describe(config: BreakerConfig, now: number): string {
    if (this.state === 'half-open') return 'its circuit is half-open and a trial call is already in flight'
    const retryInMs = Math.max(0, this.openedAt + config.cooldownMs - now)
    return `its circuit is open after ${this.failures} consecutive transport failures; a trial call will pass in ${retryInMs} ms`
  }
}
