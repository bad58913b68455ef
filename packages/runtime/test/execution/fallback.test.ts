import { describe, expect, it } from 'vitest'
import { AtomaError } from '../../src/errors.js'
import { ExecutionError } from '../../src/execution/executionError.js'
import { createKernel } from '../../src/execution/kernel.js'
import type { EntryResult } from '../../src/execution/ports.js'
import {
  entries,
  fails,
  failsWith,
  failure,
  networkDown,
  returns,
  steps,
  type TestNode,
  testClock,
  testNode,
} from './testNodes.js'

/** The built-in policies with their default options: 3 attempts, jittered backoff (random 0.5). */
function setup(nodes: TestNode[]) {
  const clock = testClock()
  const kernel = createKernel(clock)
  for (const node of nodes) kernel.context.execution.registerNode(node)
  return { kernel, clock }
}

const threeTimes = <T>(value: T): T[] => [value, value, value]

describe('fallback', () => {
  it('local-first: a local node that keeps failing falls back to the remote one, on the route', async () => {
    const local = testNode('idb', 'local', { script: threeTimes(networkDown) })
    const remote = testNode('http', 'remote')
    const { kernel, clock } = setup([remote, local])
    const output = await kernel.query('local-first', { store: 'todos', query: {} })
    expect(output.items).toEqual([{ from: 'todos' }])
    expect(output.meta.source).toBe('remote')
    expect(steps(output.meta.route)).toEqual([
      'idb#1:error:TRANSPORT',
      'idb#2:error:TRANSPORT',
      'idb#3:error:TRANSPORT',
      'http#1:ok',
    ])
    expect(output.meta.route.map((s) => s.source)).toEqual(['local', 'local', 'local', 'remote'])
    // Backoff between attempts on one node, none before the next node.
    expect(clock.sleeps).toEqual([50, 100])
  })

  it('remote-first: a remote node that times out falls back to the local one', async () => {
    const remote = testNode('http', 'remote', {
      script: [fails(new DOMException('t', 'TimeoutError')), networkDown, networkDown],
    })
    const local = testNode('idb', 'local')
    const { kernel } = setup([local, remote])
    const sent = entries(2)
    const output = await kernel.write('remote-first', { store: 'todos', entries: sent })
    expect(output.status).toBe('confirmed')
    expect(output.meta.source).toBe('local')
    expect(steps(output.meta.route)).toEqual([
      'http#1:timeout:TIMEOUT',
      'http#2:error:TRANSPORT',
      'http#3:error:TRANSPORT',
      'idb#1:ok',
    ])
    // The fallback node gets the same entries as the first one.
    expect(local.calls[0]?.kind === 'write' && local.calls[0].input.entries).toBe(sent)
  })

  it('every node failing rejects with the last error and lists the nodes tried', async () => {
    const remote = testNode('http', 'remote', { script: threeTimes(networkDown) })
    const local = testNode('idb', 'local', { script: threeTimes(failsWith('TIMEOUT')) })
    const { kernel } = setup([remote, local])
    const error = await failure(kernel.query('remote-first', { store: 'todos', query: {} }))
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toBeInstanceOf(ExecutionError)
    expect(error.code).toBe('TIMEOUT')
    expect(error.retryable).toBe(true)
    expect(error.store).toBe('todos')
    expect(error.message).toBe(
      "store 'todos': the query failed on every node tried (policy 'remote-first'): " +
        "'http' (TRANSPORT: node 'http' failed: fetch failed); 'idb' (TIMEOUT: said TIMEOUT)",
    )
    expect(steps(error.route)).toEqual([
      'http#1:error:TRANSPORT',
      'http#2:error:TRANSPORT',
      'http#3:error:TRANSPORT',
      'idb#1:timeout:TIMEOUT',
      'idb#2:timeout:TIMEOUT',
      'idb#3:timeout:TIMEOUT',
    ])
  })

  it('times each attempt with the injected clock', async () => {
    const clock = testClock()
    const kernel = createKernel(clock)
    const slow = testNode('http', 'remote', {
      script: [
        () => {
          clock.advance(30)
          throw new Error('reset')
        },
        () => {
          clock.advance(12)
          return { items: [] }
        },
      ],
    })
    kernel.context.execution.registerNode(slow)
    const output = await kernel.query('direct-http', { store: 'todos', query: {} })
    expect(output.meta.route.map((s) => s.ms)).toEqual([30, 12])
  })

  it('a non-retryable error on the first node stops: the second is never tried', async () => {
    const local = testNode('idb', 'local', { script: [failsWith('VALIDATION')] })
    const remote = testNode('http', 'remote')
    const { kernel } = setup([local, remote])
    const error = await failure(kernel.write('local-first', { store: 'todos', entries: entries(1) }))
    expect(error.code).toBe('VALIDATION')
    expect(error.message).toMatch(/node 'idb'/)
    expect(remote.calls).toHaveLength(0)
  })
})

describe('write results are results, not errors', () => {
  const rejected = (entryId: string): EntryResult => ({
    entryId,
    status: 'rejected',
    error: { code: 'CONFLICT', message: 'stale', retryable: false, current: { v: 2 } },
  })

  it.each([
    ['partial', [{ entryId: 'e1', status: 'confirmed', version: 3 }, rejected('e2')]],
    ['rejected', [rejected('e1'), rejected('e2')]],
  ] as const)('a %s result is returned as is: no retry, no fallback', async (status, items) => {
    const remote = testNode('http', 'remote', { script: [returns({ status, items })] })
    const local = testNode('idb', 'local')
    const { kernel } = setup([remote, local])
    const output = await kernel.write('remote-first', { store: 'todos', entries: entries(2) })
    expect(output.status).toBe(status)
    expect(output.items).toEqual(items)
    expect(output.meta).toEqual({
      source: 'remote',
      route: [expect.objectContaining({ node: 'http', outcome: 'ok' })],
    })
    expect(remote.calls).toHaveLength(1)
    expect(local.calls).toHaveLength(0)
  })

  it.each([
    ['confirmed', [{ entryId: 'e1', status: 'confirmed' }, rejected('e2')], 'partial'],
    ['confirmed', [rejected('e1'), rejected('e2')], 'rejected'],
    [
      'rejected',
      [
        { entryId: 'e1', status: 'confirmed' },
        { entryId: 'e2', status: 'confirmed' },
      ],
      'confirmed',
    ],
    ['partial', [rejected('e1'), rejected('e2')], 'rejected'],
  ] as const)(
    'a status that disagrees with the items (%s) is normalized from them',
    async (claimed, items, actual) => {
      const { kernel } = setup([
        testNode('http', 'remote', { script: [returns({ status: claimed, items })] }),
      ])
      const output = await kernel.write('direct-http', { store: 'todos', entries: entries(2) })
      expect(output.status).toBe(actual)
    },
  )

  it('items come back in entry order whatever order the node answered in', async () => {
    const items = [rejected('e2'), { entryId: 'e1', status: 'confirmed' }]
    const { kernel } = setup([
      testNode('http', 'remote', { script: [returns({ status: 'partial', items })] }),
    ])
    const output = await kernel.write('direct-http', { store: 'todos', entries: entries(2) })
    expect(output.items.map((i) => i.entryId)).toEqual(['e1', 'e2'])
  })
})

describe('query output', () => {
  it('carries items, versions and the cursor (in meta)', async () => {
    const versions = new Map([['a', 3]])
    const node = testNode('http', 'remote', {
      script: [returns({ items: [{ id: 'a' }], versions, cursor: 'c1' })],
    })
    const { kernel } = setup([node])
    const output = await kernel.query('direct-http', { store: 'todos', query: { limit: 1 } })
    expect(output).toEqual({
      items: [{ id: 'a' }],
      versions,
      meta: {
        source: 'remote',
        cursor: 'c1',
        route: [expect.objectContaining({ node: 'http', attempt: 1, outcome: 'ok' })],
      },
    })
    expect(node.calls[0]?.input).toMatchObject({ store: 'todos', query: { limit: 1 } })
  })

  it('leaves versions and cursor out when the node has none', async () => {
    const { kernel } = setup([testNode('http', 'remote', { script: [returns({ items: [] })] })])
    const output = await kernel.query('direct-http', { store: 'todos', query: {} })
    expect(output).not.toHaveProperty('versions')
    expect(output.meta).not.toHaveProperty('cursor')
  })
})
