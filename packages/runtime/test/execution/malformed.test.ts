import { describe, expect, it } from 'vitest'
import { createKernel } from '../../src/execution/kernel.js'
import { entries, failure, returns, testClock, testNode } from './testNodes.js'

/** A remote node answering `value` once, with a local node behind it (local tried second). */
function setup(value: unknown) {
  const kernel = createKernel(testClock())
  const remote = testNode('http', 'remote', { script: [returns(value)] })
  const local = testNode('idb', 'local')
  kernel.context.execution.registerNode(remote)
  kernel.context.execution.registerNode(local)
  return { kernel, remote, local }
}

describe('malformed node results', () => {
  it.each([
    [undefined, /malformed query result \(missing, expected an object\)/],
    [{ items: 'nope' }, /items is the string 'nope', expected an array/],
    [{ items: { 0: 'a' } }, /items is an object, expected an array/],
    [{ items: [], versions: { a: 1 } }, /versions is an object, expected a Map/],
    [{ items: [], cursor: 3 }, /cursor is number 3, expected a string/],
  ])(
    'query result %o is a TRANSPORT error naming the node, not retried, no fallback',
    async (value, message) => {
      const { kernel, remote, local } = setup(value)
      const error = await failure(kernel.query('remote-first', { store: 'todos', query: {} }))
      expect(error.code).toBe('TRANSPORT')
      expect(error.retryable).toBe(false)
      expect(error.message).toMatch(
        /store 'todos': the query failed on node 'http' \(policy 'remote-first'\): node 'http' returned a malformed/,
      )
      expect(error.message).toMatch(message)
      expect(remote.calls).toHaveLength(1)
      expect(local.calls).toHaveLength(0)
    },
  )

  const confirmed = (entryId: string) => ({ entryId, status: 'confirmed' })

  it.each([
    [null, /malformed write result \(null, expected an object\)/],
    [{ status: 'confirmed' }, /items is missing, expected an array/],
    [{ status: 'confirmed', items: [confirmed('e1')] }, /entry 'e2' \(create of 'item-2'\) has no result/],
    [
      { status: 'confirmed', items: [confirmed('e1'), confirmed('e2'), confirmed('e9')] },
      /results for entries that were not sent \(e9\)/,
    ],
    [{ status: 'confirmed', items: [confirmed('e1'), confirmed('e1')] }, /entry 'e1' is answered twice/],
    [
      { status: 'confirmed', items: [confirmed('e1'), 'e2'] },
      /an item is the string 'e2', expected an object/,
    ],
    [
      { status: 'confirmed', items: [confirmed('e1'), { status: 'confirmed' }] },
      /an item's entryId is missing/,
    ],
    [
      { status: 'confirmed', items: [confirmed('e1'), { entryId: 'e2', status: 'ok' }] },
      /status is the string 'ok'/,
    ],
    [
      { status: 'partial', items: [confirmed('e1'), { entryId: 'e2', status: 'rejected' }] },
      /entry 'e2' is rejected without an error \{ code, message, retryable \}/,
    ],
    [
      { status: 'confirmed', items: [confirmed('e1'), { ...confirmed('e2'), version: '2' }] },
      /entry 'e2': version is the string '2', expected an integer/,
    ],
  ])(
    'write result %o is a TRANSPORT error naming the node, never a crash or a silent success',
    async (value, message) => {
      const { kernel, remote, local } = setup(value)
      const error = await failure(kernel.write('remote-first', { store: 'todos', entries: entries(2) }))
      expect(error.code).toBe('TRANSPORT')
      expect(error.retryable).toBe(false)
      expect(error.message).toMatch(/node 'http' returned a malformed write result/)
      expect(error.message).toMatch(message)
      expect(error.route).toEqual([expect.objectContaining({ node: 'http', attempt: 1, outcome: 'error' })])
      expect(remote.calls).toHaveLength(1)
      expect(local.calls).toHaveLength(0)
    },
  )
})
