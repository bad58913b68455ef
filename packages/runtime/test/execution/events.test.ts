import { afterEach, describe, expect, it, vi } from 'vitest'
import { createKernel } from '../../src/execution/kernel.js'
import { entries, failsWith, failure, networkDown, testClock, testNode } from './testNodes.js'

function setup() {
  const kernel = createKernel(testClock())
  const log: string[] = []
  const node = testNode('http', 'remote')
  // The node logs its calls in the same list, so the order of events and attempts shows.
  const write = node.write
  node.write = (input) => {
    log.push('node:write')
    return write!(input)
  }
  kernel.context.execution.registerNode(node)
  return { kernel, node, log }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('kernel events', () => {
  it('a write emits write:dispatched before its first attempt and write:settled after', async () => {
    const { kernel, node, log } = setup()
    node.script.push(networkDown)
    const seen: unknown[] = []
    kernel.context.events.on('write:dispatched', (e) => {
      log.push('write:dispatched')
      seen.push(e)
    })
    kernel.context.events.on('write:settled', (e) => {
      log.push('write:settled')
      seen.push(e)
    })
    const sent = entries(1)
    const output = await kernel.write('direct-http', { store: 'todos', entries: sent })
    expect(log).toEqual(['write:dispatched', 'node:write', 'node:write', 'write:settled'])
    expect(seen[0]).toEqual({ store: 'todos', policy: 'direct-http', entries: sent })
    expect(seen[1]).toEqual({ store: 'todos', policy: 'direct-http', ok: true, meta: output.meta })
  })

  it('a failed write settles with ok: false, the error and the route', async () => {
    const { kernel, node } = setup()
    node.script.push(failsWith('VALIDATION'))
    const settled = vi.fn()
    kernel.context.events.on('write:settled', settled)
    const error = await failure(kernel.write('direct-http', { store: 'todos', entries: entries(1) }))
    expect(settled).toHaveBeenCalledTimes(1)
    expect(settled).toHaveBeenCalledWith({
      store: 'todos',
      policy: 'direct-http',
      ok: false,
      meta: { source: 'remote', route: error.route },
      error: { code: 'VALIDATION', message: error.message, retryable: false },
    })
  })

  it('a query emits query:settled, ok or not', async () => {
    const { kernel, node } = setup()
    const settled = vi.fn()
    kernel.context.events.on('query:settled', settled)
    const output = await kernel.query('direct-http', { store: 'todos', query: {} })
    node.script.push(failsWith('NOT_FOUND'))
    await failure(kernel.query('direct-http', { store: 'todos', query: {} }))
    expect(settled.mock.calls.map(([e]) => [e.ok, e.error?.code])).toEqual([
      [true, undefined],
      [false, 'NOT_FOUND'],
    ])
    expect(settled.mock.calls[0]?.[0].meta).toBe(output.meta)
  })

  it('an aborted write still settles (ok: false, ABORTED)', async () => {
    const { kernel } = setup()
    const events: string[] = []
    kernel.context.events.on('write:dispatched', () => events.push('dispatched'))
    kernel.context.events.on('write:settled', (e) => events.push(`settled ok=${e.ok} ${e.error?.code}`))
    await failure(
      kernel.write('direct-http', { store: 'todos', entries: entries(1), signal: AbortSignal.abort() }),
    )
    expect(events).toEqual(['dispatched', 'settled ok=false ABORTED'])
  })

  it('a configuration error (no node, unknown policy) emits nothing: nothing was dispatched', async () => {
    const { kernel } = setup()
    const listener = vi.fn()
    for (const name of ['write:dispatched', 'write:settled', 'query:settled'] as const)
      kernel.context.events.on(name, listener)
    await expect(kernel.write('direct-local', { store: 'todos', entries: entries(1) })).rejects.toMatchObject(
      {
        code: 'NO_EXECUTION_NODE',
      },
    )
    await expect(kernel.query('nope', { store: 'todos', query: {} })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
    expect(listener).not.toHaveBeenCalled()
  })

  it('a throwing listener is reported and isolated: other listeners run, the operation is unchanged', async () => {
    const { kernel } = setup()
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})
    const after = vi.fn()
    kernel.context.events.on('write:dispatched', () => {
      throw new Error('listener bug')
    })
    kernel.context.events.on('write:dispatched', after)
    kernel.context.events.on('write:settled', () => {
      throw new Error('listener bug')
    })
    const output = await kernel.write('direct-http', { store: 'todos', entries: entries(2) })
    expect(output.status).toBe('confirmed')
    expect(after).toHaveBeenCalledTimes(1)
    expect(report).toHaveBeenCalledTimes(2)
    expect(report.mock.calls[0]?.[0]).toMatch(/'write:dispatched' listener threw/)
  })

  it('on() returns an unsubscribe; the same function registered twice is two subscriptions', async () => {
    const { kernel } = setup()
    const listener = vi.fn()
    const off = kernel.context.events.on('query:settled', listener)
    const offAgain = kernel.context.events.on('query:settled', listener)
    await kernel.query('direct-http', { store: 'todos', query: {} })
    expect(listener).toHaveBeenCalledTimes(2)
    off()
    await kernel.query('direct-http', { store: 'todos', query: {} })
    expect(listener).toHaveBeenCalledTimes(3)
    offAgain()
    await kernel.query('direct-http', { store: 'todos', query: {} })
    expect(listener).toHaveBeenCalledTimes(3)
  })
})
