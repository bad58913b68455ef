import { afterEach, describe, expect, it, vi } from 'vitest'
import { AtomaError } from '../../src/errors.js'
import { createKernel, type KernelOptions } from '../../src/execution/kernel.js'
import type { PolicyOptions } from '../../src/execution/policy.js'
import { DEFAULT_POLICY_OPTIONS } from '../../src/execution/policyOptions.js'
import { backoffDelay } from '../../src/execution/retry.js'
import {
  type Answer,
  entries,
  fails,
  failsWith,
  failure,
  hangs,
  ignoresSignal,
  networkDown,
  steps,
  type TestNode,
  testClock,
  testNode,
} from './testNodes.js'

/** A kernel with one policy `p` routing to the given nodes in order. */
function setup(nodes: TestNode[], options: PolicyOptions, kernelOptions: KernelOptions = {}) {
  const clock = testClock()
  const kernel = createKernel({ ...clock, ...kernelOptions })
  for (const node of nodes) kernel.context.execution.registerNode(node)
  kernel.context.policy.registerPolicy({ name: 'p', route: (_kind, routed) => [...routed], options })
  return { kernel, clock }
}

const query = { store: 'todos', query: {} }

describe('backoffDelay', () => {
  const retry = { ...DEFAULT_POLICY_OPTIONS.retry, baseDelayMs: 100, maxDelayMs: 1000 }

  it('doubles from the base and stops at the cap', () => {
    const exact = { ...retry, jitter: false }
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, exact, () => 0.5))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ])
  })

  it('with full jitter stays in [0, backoff]', () => {
    for (const n of [1, 3, 5, 9]) {
      const cap = Math.min(1000, 100 * 2 ** (n - 1))
      expect(backoffDelay(n, retry, () => 0)).toBe(0)
      expect(backoffDelay(n, retry, () => 0.25)).toBe(cap * 0.25)
      const high = backoffDelay(n, retry, () => 0.999_999)
      expect(high).toBeLessThanOrEqual(cap)
      expect(high).toBeGreaterThan(cap * 0.99)
    }
  })
})

describe('retries', () => {
  it('retries a TRANSPORT failure with exactly the computed backoff, then succeeds', async () => {
    const node = testNode('http', 'remote', { script: [networkDown, networkDown, networkDown, networkDown] })
    const { kernel, clock } = setup([node], {
      retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 300, jitter: false },
      timeoutMs: 0,
    })
    const output = await kernel.query('p', query)
    expect(clock.sleeps).toEqual([100, 200, 300, 300])
    expect(steps(output.meta.route)).toEqual([
      'http#1:error:TRANSPORT',
      'http#2:error:TRANSPORT',
      'http#3:error:TRANSPORT',
      'http#4:error:TRANSPORT',
      'http#5:ok',
    ])
    expect(output.meta.route[0]?.error?.message).toBe("node 'http' failed: fetch failed")
    expect(output.meta.source).toBe('remote')
  })

  it('waits at least as long as a rate-limited answer asked (Retry-After), then retries', async () => {
    const limited = fails(new AtomaError('RATE_LIMITED', 'slow down', { retryAfterMs: 1500 }))
    const node = testNode('http', 'remote', { script: [limited, networkDown] })
    const { kernel, clock } = setup([node], {
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 300, jitter: false },
      timeoutMs: 0,
    })
    const output = await kernel.query('p', query)
    // The server's 1500 ms win over the 100 ms backoff; the next failure says nothing, so 200.
    expect(clock.sleeps).toEqual([1500, 200])
    expect(steps(output.meta.route)).toEqual([
      'http#1:error:RATE_LIMITED',
      'http#2:error:TRANSPORT',
      'http#3:ok',
    ])
  })

  it('a policy may give writes their own options (writeOptions): here reads retry, writes do not', async () => {
    const node = testNode('http', 'remote', { script: [networkDown, networkDown] })
    const clock = testClock()
    const kernel = createKernel(clock)
    kernel.context.execution.registerNode(node)
    kernel.context.policy.registerPolicy({
      name: 'p',
      route: (_kind, routed) => [...routed],
      options: { retry: { attempts: 3, jitter: false }, timeoutMs: 0 },
      writeOptions: { retry: { attempts: 1 }, timeoutMs: 0 },
    })
    const write = await kernel.write('p', { store: 'todos', entries: entries(1) }).catch((e: unknown) => e)
    expect(write).toMatchObject({ code: 'TRANSPORT' })
    expect(node.calls).toHaveLength(1)
    const read = await kernel.query('p', query)
    expect(steps(read.meta.route)).toEqual(['http#1:error:TRANSPORT', 'http#2:ok'])
  })

  it('applies full jitter from the injected random', async () => {
    const node = testNode('http', 'remote', { script: [networkDown, networkDown] })
    const { kernel, clock } = setup(
      [node],
      { retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2000, jitter: true } },
      { random: () => 0.25 },
    )
    await kernel.query('p', query)
    expect(clock.sleeps).toEqual([25, 50])
  })

  it('gives every attempt the same entries, hence the same idempotency keys', async () => {
    const node = testNode('http', 'remote', {
      script: [networkDown, fails(new DOMException('cut', 'AbortError'))],
    })
    const { kernel } = setup([node], { retry: { attempts: 3 } })
    const sent = entries(2)
    const output = await kernel.write('p', { store: 'todos', entries: sent })
    expect(output.status).toBe('confirmed')
    expect(node.calls).toHaveLength(3)
    for (const call of node.calls) {
      expect(call.kind === 'write' && call.input.entries).toBe(sent)
      expect(call.kind === 'write' && call.input.entries.map((e) => e.idempotencyKey)).toEqual([
        'key-1',
        'key-2',
      ])
    }
  })

  it('gives every node a defined signal, its own per attempt', async () => {
    const node = testNode('http', 'remote', { script: [networkDown] })
    const { kernel } = setup([node], { retry: { attempts: 2 } })
    await kernel.query('p', query)
    const [first, second] = node.calls.map((c) => c.input.signal)
    expect(first).toBeInstanceOf(AbortSignal)
    expect(second).toBeInstanceOf(AbortSignal)
    expect(first).not.toBe(second)
  })

  it.each(['VALIDATION', 'CONFLICT', 'NOT_FOUND', 'REJECTED'] as const)(
    'does not retry or fall back on %s, and rejects naming the store and the node',
    async (code) => {
      const first = testNode('api', 'remote', { script: [failsWith(code, { current: { id: 1, v: 7 } })] })
      const second = testNode('memory', 'local')
      const { kernel, clock } = setup([first, second], { retry: { attempts: 3 } })
      const error = await failure(kernel.write('p', { store: 'todos', entries: entries(1) }))
      expect(error.code).toBe(code)
      expect(error.retryable).toBe(false)
      expect(error.store).toBe('todos')
      expect(error.current).toEqual({ id: 1, v: 7 })
      expect(error.message).toBe(`store 'todos': the write failed on node 'api' (policy 'p'): said ${code}`)
      expect(first.calls).toHaveLength(1)
      expect(second.calls).toHaveLength(0)
      expect(clock.sleeps).toEqual([])
      expect(steps(error.route)).toEqual([`api#1:error:${code}`])
    },
  )

  it("keeps an AtomaError's own retryable verdict", async () => {
    const node = testNode('api', 'remote', { script: [failsWith('REJECTED', { retryable: true })] })
    const { kernel } = setup([node], { retry: { attempts: 2 } })
    const output = await kernel.query('p', query)
    expect(steps(output.meta.route)).toEqual(['api#1:error:REJECTED', 'api#2:ok'])
  })

  it('classifies thrown values: AbortError is TIMEOUT, anything else TRANSPORT (synchronous throws too)', async () => {
    const sync: TestNode = {
      ...testNode('sync', 'local'),
      query: () => {
        throw 'plain string'
      },
    }
    const node = testNode('api', 'remote', {
      script: [fails(new DOMException('gone', 'AbortError')), fails(42)],
    })
    const { kernel } = setup([sync, node], { retry: { attempts: 3 } })
    const output = await kernel.query('p', query)
    expect(steps(output.meta.route)).toEqual([
      'sync#1:error:TRANSPORT',
      'sync#2:error:TRANSPORT',
      'sync#3:error:TRANSPORT',
      'api#1:timeout:TIMEOUT',
      'api#2:error:TRANSPORT',
      'api#3:ok',
    ])
    expect(output.meta.route[0]?.error).toEqual({
      code: 'TRANSPORT',
      message: "node 'sync' failed: plain string",
      retryable: true,
    })
  })
})

describe('timeouts', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it.each([
    ['aborts the node signal and fails the attempt with TIMEOUT', hangs],
    ['fails the attempt even when the node ignores its signal', ignoresSignal],
  ])('%s', async (_title, stuck: Answer) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const node = testNode('http', 'remote', { script: [stuck, stuck] })
    const { kernel } = setup([node], { retry: { attempts: 2 }, timeoutMs: 50 })
    const pending = failure(kernel.query('p', query))
    await vi.advanceTimersByTimeAsync(50)
    await vi.advanceTimersByTimeAsync(50)
    const error = await pending
    expect(error.code).toBe('TIMEOUT')
    expect(error.retryable).toBe(true)
    expect(steps(error.route)).toEqual(['http#1:timeout:TIMEOUT', 'http#2:timeout:TIMEOUT'])
    expect(error.route[0]?.error?.message).toBe("node 'http': timed out after 50 ms")
    for (const call of node.calls) {
      expect(call.input.signal.aborted).toBe(true)
      expect(call.input.signal.reason).toMatchObject({ code: 'TIMEOUT' })
    }
  })

  it('timeoutMs 0 sets no timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { kernel } = setup([testNode('http', 'remote')], { timeoutMs: 0 })
    await kernel.query('p', query)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('clears the timer of an attempt that answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { kernel } = setup([testNode('http', 'remote')], { timeoutMs: 1000 })
    await kernel.query('p', query)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('caller abort', () => {
  it('mid-attempt: rejects with ABORTED, aborts the node, no retry and no fallback', async () => {
    const controller = new AbortController()
    const remote = testNode('http', 'remote', { script: [hangs] })
    const local = testNode('memory', 'local')
    const { kernel } = setup([remote, local], { retry: { attempts: 3 }, timeoutMs: 0 })
    const pending = failure(kernel.query('p', { ...query, signal: controller.signal }))
    await Promise.resolve()
    controller.abort('user left')
    const error = await pending
    expect(error.code).toBe('ABORTED')
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(
      /store 'todos': the query was aborted by the caller \(policy 'p', after 1 attempt/,
    )
    expect(error.cause).toBe('user left')
    expect(remote.calls).toHaveLength(1)
    expect(remote.calls[0]?.input.signal.aborted).toBe(true)
    expect(local.calls).toHaveLength(0)
    expect(steps(error.route)).toEqual(['http#1:error:ABORTED'])
  })

  it('during a backoff wait: stops before the next attempt', async () => {
    const controller = new AbortController()
    const node = testNode('http', 'remote', { script: [networkDown] })
    // The injected sleep aborts the caller as the wait starts, then waits for the signal.
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        signal?.addEventListener('abort', () => resolve())
        controller.abort()
      })
    const { kernel } = setup([node], { retry: { attempts: 3 } }, { sleep })
    const error = await failure(
      kernel.write('p', { store: 'todos', entries: entries(1), signal: controller.signal }),
    )
    expect(error.code).toBe('ABORTED')
    expect(node.calls).toHaveLength(1)
    expect(steps(error.route)).toEqual(['http#1:error:TRANSPORT'])
  })

  it('a backoff wait ends on abort even if the injected sleep ignores the signal', async () => {
    const controller = new AbortController()
    const node = testNode('http', 'remote', { script: [networkDown] })
    const sleep = () => {
      controller.abort()
      return new Promise<void>(() => {})
    }
    const { kernel } = setup([node], { retry: { attempts: 3 } }, { sleep })
    const error = await failure(kernel.query('p', { ...query, signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(node.calls).toHaveLength(1)
  })

  it('an already aborted signal calls no node', async () => {
    const node = testNode('http', 'remote')
    const { kernel } = setup([node], {})
    const error = await failure(kernel.query('p', { ...query, signal: AbortSignal.abort() }))
    expect(error.code).toBe('ABORTED')
    expect(error.route).toEqual([])
    expect(node.calls).toHaveLength(0)
  })
})

describe('the default sleep', () => {
  it('waits on a real timer between attempts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const node = testNode('http', 'remote', { script: [networkDown] })
      const kernel = createKernel({ random: () => 1 })
      kernel.context.execution.registerNode(node)
      const pending = kernel.query('direct-http', query)
      await vi.advanceTimersByTimeAsync(99)
      expect(node.calls).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(node.calls).toHaveLength(2)
      expect((await pending).meta.route).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
