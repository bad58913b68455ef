import type { AtomaError } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'
import type { KernelEventName, KernelEvents } from '../../src/execution/events.js'
import { createKernel } from '../../src/execution/kernel.js'
import type { PolicyOptions } from '../../src/execution/policy.js'
import {
  answer,
  deferred,
  failsWith,
  failure,
  hangs,
  networkDown,
  steps,
  type TestNode,
  testClock,
  testNode,
} from './testNodes.js'

const BREAKER_EVENTS = ['breaker:open', 'breaker:half-open', 'breaker:closed'] as const

/**
 * A node (and optionally a second one, tried next) behind policy `p` with a small breaker:
 * threshold 3, cooldown 1000 ms, one attempt per call, no timeout.
 */
function setup(remote: TestNode, local?: TestNode, options: PolicyOptions = {}) {
  const clock = testClock()
  const kernel = createKernel(clock)
  kernel.context.execution.registerNode(remote)
  if (local) kernel.context.execution.registerNode(local)
  const policyOptions: PolicyOptions = {
    retry: { attempts: 1 },
    timeoutMs: 0,
    breaker: { failureThreshold: 3, cooldownMs: 1000 },
    ...options,
  }
  kernel.context.policy.registerPolicy({
    name: 'p',
    route: (_kind, nodes) => [...nodes],
    options: policyOptions,
  })
  const events: Array<[KernelEventName, KernelEvents[KernelEventName]]> = []
  for (const name of BREAKER_EVENTS) kernel.context.events.on(name, (event) => events.push([name, event]))
  const query = (signal?: AbortSignal) =>
    kernel.query('p', { store: 'todos', query: {}, ...(signal ? { signal } : {}) })
  return { kernel, clock, events, query }
}

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value)

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive transport failures; then skips the node at once', async () => {
    const remote = testNode('http', 'remote', { script: times(3, networkDown) })
    const local = testNode('idb', 'local')
    const { events, query } = setup(remote, local)
    for (let i = 0; i < 3; i++) expect((await query()).meta.source).toBe('local')
    expect(events).toEqual([['breaker:open', { node: 'http', source: 'remote', failures: 3 }]])

    const output = await query()
    expect(remote.calls).toHaveLength(3)
    expect(steps(output.meta.route)).toEqual(['http#1:circuit-open:CIRCUIT_OPEN', 'idb#1:ok'])
    expect(output.meta.route[0]).toMatchObject({ ms: 0, error: { retryable: true } })
    expect(output.meta.source).toBe('local')
  })

  it('with no other node, rejects with CIRCUIT_OPEN naming the node and when it will be tried again', async () => {
    const remote = testNode('http', 'remote', { script: times(3, networkDown) })
    const { clock, query } = setup(remote)
    for (let i = 0; i < 3; i++) await failure(query())
    clock.advance(400)
    const error = await failure(query())
    expect(error.code).toBe('CIRCUIT_OPEN')
    expect(error.retryable).toBe(true)
    expect(error.message).toMatch(
      /'http' \(CIRCUIT_OPEN: node 'http' was skipped: its circuit is open after 3 consecutive transport failures; a trial call will pass in 600 ms\)/,
    )
    expect(remote.calls).toHaveLength(3)
  })

  it('CIRCUIT_OPEN keeps the transport failure that opened the circuit as its cause', async () => {
    const remote = testNode('http', 'remote', { script: times(2, networkDown) })
    const { query } = setup(remote, undefined, {
      retry: { attempts: 3, baseDelayMs: 0, jitter: false },
      breaker: { failureThreshold: 2, cooldownMs: 1000 },
    })
    // Attempts 1 and 2 fail and open the circuit; attempt 3 is blocked.
    const error = await failure(query())
    expect(remote.calls).toHaveLength(2)
    expect(steps(error.route)).toEqual([
      'http#1:error:TRANSPORT',
      'http#2:error:TRANSPORT',
      'http#3:circuit-open:CIRCUIT_OPEN',
    ])
    expect(error.code).toBe('CIRCUIT_OPEN')
    expect((error.cause as AtomaError).code).toBe('TRANSPORT')
    expect((error.cause as AtomaError).message).toMatch(/fetch failed/)

    // A later call the open circuit blocks before any attempt reports the same failure.
    const blocked = await failure(query())
    expect(remote.calls).toHaveLength(2)
    expect(blocked.code).toBe('CIRCUIT_OPEN')
    expect((blocked.cause as AtomaError).code).toBe('TRANSPORT')
  })

  it('counts every failed attempt, and stops retrying a node whose circuit opened', async () => {
    const remote = testNode('http', 'remote', { script: times(5, networkDown) })
    const local = testNode('idb', 'local')
    const { clock, query } = setup(remote, local, {
      retry: { attempts: 5, jitter: false },
      breaker: { failureThreshold: 2, cooldownMs: 1000 },
    })
    const output = await query()
    expect(steps(output.meta.route)).toEqual([
      'http#1:error:TRANSPORT',
      'http#2:error:TRANSPORT',
      'http#3:circuit-open:CIRCUIT_OPEN',
      'idb#1:ok',
    ])
    // One backoff (between attempts 1 and 2), none once the circuit is open.
    expect(clock.sleeps).toEqual([100])
  })

  it('after the cooldown lets exactly one trial through; its success closes the circuit', async () => {
    const trial = deferred()
    const remote = testNode('http', 'remote', { script: [...times(3, networkDown), trial] })
    const { clock, events, query } = setup(remote)
    for (let i = 0; i < 3; i++) await failure(query())
    clock.advance(999)
    expect((await failure(query())).code).toBe('CIRCUIT_OPEN')
    clock.advance(1)

    const first = query()
    expect(events.at(-1)).toEqual(['breaker:half-open', { node: 'http', source: 'remote' }])
    // While the trial is in flight, other calls keep failing fast.
    const concurrent = await failure(query())
    expect(concurrent.code).toBe('CIRCUIT_OPEN')
    expect(concurrent.message).toMatch(/half-open and a trial call is already in flight/)
    expect(remote.calls).toHaveLength(4)

    trial.release()
    expect((await first).meta.route).toHaveLength(1)
    expect(events.map(([name]) => name)).toEqual(['breaker:open', 'breaker:half-open', 'breaker:closed'])
    await query()
    expect(remote.calls).toHaveLength(5)
  })

  it('a failed trial re-opens the circuit for another cooldown', async () => {
    const remote = testNode('http', 'remote', { script: times(4, networkDown) })
    const { clock, events, query } = setup(remote)
    for (let i = 0; i < 3; i++) await failure(query())
    clock.advance(1000)
    expect((await failure(query())).code).toBe('TRANSPORT')
    expect(events.map(([name]) => name)).toEqual(['breaker:open', 'breaker:half-open', 'breaker:open'])
    expect(events.at(-1)?.[1]).toEqual({ node: 'http', source: 'remote', failures: 4 })

    clock.advance(999)
    expect((await failure(query())).code).toBe('CIRCUIT_OPEN')
    expect(remote.calls).toHaveLength(4)
    clock.advance(1)
    await query()
    expect(remote.calls).toHaveLength(5)
    expect(events.at(-1)?.[0]).toBe('breaker:closed')
  })

  it('any success resets the count: failures must be consecutive', async () => {
    const remote = testNode('http', 'remote', {
      script: [networkDown, networkDown, answer, networkDown, networkDown],
    })
    const { events, query } = setup(remote)
    for (let i = 0; i < 5; i++) await query().catch(() => undefined)
    expect(events).toEqual([])
    remote.script.push(networkDown)
    await failure(query())
    expect(events.map(([name]) => name)).toEqual(['breaker:open'])
  })

  it('an error the node chose (CONFLICT) is an answer: it neither counts nor keeps the count', async () => {
    const remote = testNode('http', 'remote', {
      script: [networkDown, networkDown, failsWith('CONFLICT'), networkDown, networkDown],
    })
    const { events, query } = setup(remote)
    for (let i = 0; i < 5; i++) await failure(query())
    expect(events).toEqual([])
  })

  it('timeouts count as transport failures', async () => {
    const remote = testNode('http', 'remote', { script: times(3, failsWith('TIMEOUT')) })
    const { events, query } = setup(remote)
    for (let i = 0; i < 3; i++) await failure(query())
    expect(events.map(([name]) => name)).toEqual(['breaker:open'])
  })

  it('local nodes have no breaker', async () => {
    const local = testNode('idb', 'local', { script: times(10, networkDown) })
    const { events, query } = setup(local)
    for (let i = 0; i < 10; i++) expect((await failure(query())).code).toBe('TRANSPORT')
    expect(local.calls).toHaveLength(10)
    expect(events).toEqual([])
  })

  it('a trial aborted by its caller frees the slot for the next call', async () => {
    const remote = testNode('http', 'remote', { script: [...times(3, networkDown), hangs] })
    const { clock, events, query } = setup(remote)
    for (let i = 0; i < 3; i++) await failure(query())
    clock.advance(1000)
    const controller = new AbortController()
    const trial = failure(query(controller.signal))
    controller.abort()
    expect((await trial).code).toBe('ABORTED')
    await query()
    expect(remote.calls).toHaveLength(5)
    expect(events.map(([name]) => name)).toEqual(['breaker:open', 'breaker:half-open', 'breaker:closed'])
  })

  it('a trial aborted during its backoff wait frees the slot too', async () => {
    // Threshold 1 and no cooldown: attempt 1 opens the circuit, attempt 2 is the trial, and the
    // caller aborts while that trial waits out its backoff.
    const remote = testNode('http', 'remote', { script: [networkDown] })
    const controller = new AbortController()
    const kernel = createKernel({
      ...testClock(),
      sleep: async () => {
        controller.abort()
      },
    })
    kernel.context.execution.registerNode(remote)
    kernel.context.policy.registerPolicy({
      name: 'p',
      route: (_kind, nodes) => [...nodes],
      options: { retry: { attempts: 2 }, breaker: { failureThreshold: 1, cooldownMs: 0 } },
    })
    const aborted = await failure(kernel.query('p', { store: 'todos', query: {}, signal: controller.signal }))
    expect(aborted.code).toBe('ABORTED')
    expect(remote.calls).toHaveLength(1)
    const output = await kernel.query('p', { store: 'todos', query: {} })
    expect(steps(output.meta.route)).toEqual(['http#1:ok'])
  })

  it('the state belongs to the node, shared by every policy that routes to it', async () => {
    const remote = testNode('http', 'remote', { script: times(3, networkDown) })
    const { kernel, query } = setup(remote)
    for (let i = 0; i < 3; i++) await failure(query())
    const error = await failure(kernel.query('direct-http', { store: 'todos', query: {} }))
    expect(error.code).toBe('CIRCUIT_OPEN')
    // direct-http's own cooldown (default 10 s) is what this call measures against.
    expect(error.message).toMatch(/a trial call will pass in 10000 ms/)
  })
})
