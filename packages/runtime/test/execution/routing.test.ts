import { describe, expect, it } from 'vitest'
import { AtomaError } from '../../src/errors.js'
import { createKernel } from '../../src/execution/kernel.js'
import { DEFAULT_POLICY_OPTIONS, resolvePolicyOptions } from '../../src/execution/policyOptions.js'
import type { ExecutionNode } from '../../src/execution/ports.js'
import { entries, failure, networkDown, rejection, testClock, testNode } from './testNodes.js'

const ids = (nodes: readonly ExecutionNode[]) => nodes.map((n) => n.id)

function kernelWithMixedNodes() {
  const kernel = createKernel()
  // Registration order interleaves sources and capabilities on purpose.
  kernel.context.execution.registerNode(testNode('idb', 'local'))
  kernel.context.execution.registerNode(testNode('http', 'remote'))
  kernel.context.execution.registerNode(testNode('memory', 'local', { kinds: ['query'] }))
  kernel.context.execution.registerNode(testNode('grpc', 'remote', { kinds: ['write'] }))
  return kernel
}

describe('routing by policy', () => {
  it.each([
    ['direct-local', ['idb', 'memory'], ['idb']],
    ['direct-http', ['http'], ['http', 'grpc']],
    ['local-first', ['idb', 'memory', 'http'], ['idb', 'http', 'grpc']],
    ['remote-first', ['http', 'idb', 'memory'], ['http', 'grpc', 'idb']],
  ])(
    '%s routes by source, in registration order, only to nodes implementing the kind',
    (policy, query, write) => {
      const kernel = kernelWithMixedNodes()
      expect(ids(kernel.route(policy, 'query'))).toEqual(query)
      expect(ids(kernel.route(policy, 'write'))).toEqual(write)
    },
  )

  it('lists registered nodes in registration order', () => {
    expect(ids(kernelWithMixedNodes().nodes())).toEqual(['idb', 'http', 'memory', 'grpc'])
  })

  it('uses the default policy when none is named (direct-local unless configured)', () => {
    const local = testNode('local', 'local')
    const remote = testNode('remote', 'remote')
    const plain = createKernel()
    const configured = createKernel({ defaultPolicy: 'remote-first' })
    for (const kernel of [plain, configured]) {
      kernel.context.execution.registerNode(local)
      kernel.context.execution.registerNode(remote)
    }
    expect(plain.defaultPolicy).toBe('direct-local')
    expect(ids(plain.route(undefined, 'query'))).toEqual(['local'])
    expect(ids(configured.route(undefined, 'query'))).toEqual(['remote', 'local'])
  })

  it('an unknown policy is INVALID_ARGUMENT listing the known ones', async () => {
    const kernel = kernelWithMixedNodes()
    expect(() => kernel.route('remote-frist', 'query')).toThrow(
      /unknown execution policy 'remote-frist' \(known: direct-local, direct-http, local-first, remote-first\)/,
    )
    const error = await rejection(kernel.query('nope', { store: 'todos', query: {} }))
    expect(error.code).toBe('INVALID_ARGUMENT')
  })
})

describe('fail fast: NO_EXECUTION_NODE', () => {
  it('names the store, the policy and every missing kind', () => {
    const kernel = createKernel()
    expect(() => kernel.assertRoutable('todos', 'direct-http')).toThrow(
      expect.objectContaining({
        code: 'NO_EXECUTION_NODE',
        store: 'todos',
        message: expect.stringMatching(
          /store 'todos' uses execution policy 'direct-http', which finds no query node and no write node \(registered nodes: none\)/,
        ),
      }),
    )
  })

  it('names only the missing kind and lists what is registered', () => {
    const kernel = createKernel()
    kernel.context.execution.registerNode(testNode('api', 'remote', { kinds: ['query'] }))
    kernel.context.execution.registerNode(testNode('memory', 'local'))
    let message = ''
    try {
      kernel.assertRoutable('todos', 'direct-http')
    } catch (error) {
      expect(error).toBeInstanceOf(AtomaError)
      expect((error as AtomaError).code).toBe('NO_EXECUTION_NODE')
      message = (error as AtomaError).message
    }
    expect(message).toMatch(
      /finds no write node \(registered nodes: 'api' \(remote: query\), 'memory' \(local: query, write\)\)/,
    )
    expect(message).not.toMatch(/query node/)
    expect(() => kernel.assertRoutable('todos', 'local-first')).not.toThrow()
  })

  it('an operation with an empty route rejects with it and calls nothing', async () => {
    const kernel = createKernel()
    const local = testNode('memory', 'local')
    kernel.context.execution.registerNode(local)
    const error = await rejection(kernel.write('direct-http', { store: 'todos', entries: entries(1) }))
    expect(error.code).toBe('NO_EXECUTION_NODE')
    expect(error.message).toMatch(/'todos'.*'direct-http'.*no write node/)
    expect(local.calls).toHaveLength(0)
  })
})

describe('node registration', () => {
  it('two nodes with the same id are INVALID_ARGUMENT', () => {
    const kernel = createKernel()
    kernel.context.execution.registerNode(testNode('http', 'remote'))
    expect(() => kernel.context.execution.registerNode(testNode('http', 'local'))).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/'http' is already registered/),
      }),
    )
    expect(ids(kernel.nodes())).toEqual(['http'])
  })

  it('a node without id, with a bad source or with no operation is refused', () => {
    const kernel = createKernel()
    const register = (node: unknown) => () => kernel.context.execution.registerNode(node as ExecutionNode)
    expect(register({ id: '', source: 'local', query: async () => ({ items: [] }) })).toThrow(
      /non-empty string/,
    )
    expect(register({ id: 'x', source: 'cloud', query: async () => ({ items: [] }) })).toThrow(
      /expected 'local' or 'remote'/,
    )
    expect(register({ id: 'x', source: 'local' })).toThrow(/implements neither query nor write/)
    expect(kernel.nodes()).toHaveLength(0)
  })
})

describe('custom policies', () => {
  it('a plugin registers a policy with its own order and options', async () => {
    const clock = testClock()
    const kernel = createKernel(clock)
    const a = testNode('a', 'local', { script: [networkDown] })
    const b = testNode('b', 'local')
    kernel.context.execution.registerNode(a)
    kernel.context.execution.registerNode(b)
    kernel.context.policy.registerPolicy({
      name: 'reversed',
      route: (_kind, nodes) => [...nodes].reverse(),
      options: { retry: { attempts: 1 } },
    })
    expect(ids(kernel.route('reversed', 'query'))).toEqual(['b', 'a'])
    kernel.context.policy.registerPolicy({
      name: 'a-then-b',
      route: (_kind, nodes) => [...nodes],
      options: { retry: { attempts: 1 } },
    })
    // attempts: 1, so a's single failure falls through to b without a retry or a sleep.
    const output = await kernel.query('a-then-b', { store: 'todos', query: {} })
    expect(output.meta.route.map((s) => [s.node, s.outcome])).toEqual([
      ['a', 'error'],
      ['b', 'ok'],
    ])
    expect(clock.sleeps).toEqual([])
  })

  it('a later registration replaces a built-in of the same name', () => {
    const kernel = kernelWithMixedNodes()
    kernel.context.policy.registerPolicy({ name: 'direct-local', route: (_kind, nodes) => nodes.slice(-1) })
    expect(ids(kernel.route('direct-local', 'query'))).toEqual(['memory'])
    expect(ids(kernel.route('direct-local', 'write'))).toEqual(['grpc'])
  })

  it('options merge over the defaults field by field', async () => {
    expect(resolvePolicyOptions('p', { retry: { attempts: 2 }, breaker: { cooldownMs: 50 } })).toEqual({
      retry: { ...DEFAULT_POLICY_OPTIONS.retry, attempts: 2 },
      timeoutMs: DEFAULT_POLICY_OPTIONS.timeoutMs,
      breaker: { failureThreshold: 5, cooldownMs: 50 },
    })
    expect(resolvePolicyOptions('p', { retry: { jitter: undefined }, timeoutMs: 0 })).toEqual({
      ...DEFAULT_POLICY_OPTIONS,
      timeoutMs: 0,
    })
    // In use: attempts 2 with the default base delay (100 ms, jitter with random 0.5).
    const clock = testClock()
    const kernel = createKernel(clock)
    kernel.context.execution.registerNode(testNode('a', 'local', { script: [networkDown, networkDown] }))
    kernel.context.policy.registerPolicy({
      name: 'twice',
      route: (_k, n) => [...n],
      options: { retry: { attempts: 2 } },
    })
    const error = await failure(kernel.query('twice', { store: 'todos', query: {} }))
    expect(error.route).toHaveLength(2)
    expect(clock.sleeps).toEqual([50])
  })

  it.each([
    [{ retry: { attempts: 0 } }, /retry.attempts must be an integer >= 1, got 0/],
    [{ retry: { baseDelayMs: -1 } }, /retry.baseDelayMs must be a number >= 0/],
    [{ timeoutMs: Number.NaN }, /timeoutMs must be a number >= 0/],
    [{ breaker: { failureThreshold: 0.5 } }, /breaker.failureThreshold must be an integer >= 1/],
  ])('bad options are refused at registration (%o)', (options, message) => {
    const kernel = createKernel()
    expect(() =>
      kernel.context.policy.registerPolicy({ name: 'bad', route: (_k, n) => [...n], options }),
    ).toThrow(message)
    expect(() => kernel.route('bad', 'query')).toThrow(/unknown execution policy 'bad'/)
  })

  it('a policy that routes to an unregistered node or returns a non-array is INVALID_ARGUMENT', () => {
    const kernel = kernelWithMixedNodes()
    const stranger = testNode('stranger', 'remote')
    kernel.context.policy.registerPolicy({ name: 'stranger', route: () => [stranger] })
    kernel.context.policy.registerPolicy({
      name: 'broken',
      route: () => undefined as unknown as ExecutionNode[],
    })
    // `grpc` is registered but cannot query: routing a query to it is a policy bug too.
    kernel.context.policy.registerPolicy({
      name: 'incapable',
      route: (kind) => (kind === 'query' ? kernel.nodes().slice(-1) : []),
    })
    expect(() => kernel.route('stranger', 'query')).toThrow(
      /'stranger', which is not a registered node implementing query/,
    )
    expect(() => kernel.route('broken', 'write')).toThrow(
      /policy 'broken' routed a write to undefined, expected an array/,
    )
    expect(() => kernel.route('incapable', 'query')).toThrow(
      /'grpc', which is not a registered node implementing query/,
    )
  })

  it('a policy whose route throws is INVALID_ARGUMENT naming it', () => {
    const kernel = kernelWithMixedNodes()
    kernel.context.policy.registerPolicy({
      name: 'explodes',
      route: () => {
        throw new Error('boom')
      },
    })
    expect(() => kernel.route('explodes', 'query')).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: "policy 'explodes' failed to route a query: Error: boom",
      }),
    )
  })
})

describe('transports', () => {
  it('are registered by name, a later registration replacing an earlier one', async () => {
    const kernel = createKernel()
    const first = { name: 'fetch', send: async () => 'first' }
    const second = { name: 'fetch', send: async () => 'second' }
    kernel.context.transport.registerTransport(first)
    expect(kernel.context.transport.getTransport('fetch')).toBe(first)
    kernel.context.transport.registerTransport(second)
    expect(await kernel.context.transport.getTransport('fetch')?.send()).toBe('second')
    expect(kernel.context.transport.getTransport('grpc')).toBeUndefined()
    expect(() => kernel.context.transport.registerTransport({ name: 'x' } as never)).toThrow(/send function/)
  })
})
