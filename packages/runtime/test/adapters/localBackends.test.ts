import type { AtomaPlugin, WriteEntry } from '@atoma/runtime'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { indexedDbBackend } from '../../src/adapters/indexeddb/indexedDbBackend.js'
import { memoryBackend } from '../../src/adapters/memory/memoryBackend.js'
import { entry, resend } from '../conformance/harness.js'
import { registeredNode } from '../conformance/registeredNode.js'

/** What the local backends share beyond the conformance suite: they are schemaless and in-process. */
const backends: Array<[string, () => AtomaPlugin]> = [
  ['memoryBackend', () => memoryBackend()],
  ['indexedDbBackend', () => indexedDbBackend({ name: 'local', indexedDB: new IDBFactory() })],
]
const signal = new AbortController().signal

describe.each(backends)('%s', (_, makePlugin) => {
  it('treats an unknown store as an empty one', async () => {
    const node = registeredNode(makePlugin())
    expect(await node.query({ store: 'never-written', query: { where: { a: 1 } }, signal })).toEqual({
      items: [],
      versions: new Map(),
    })
  })

  it.each<[string, WriteEntry, RegExp]>([
    [
      'an id that is not a string or a finite number',
      entry('create', Number.NaN, { value: {} }),
      /id NaN.*finite/,
    ],
    [
      'an id that is an object',
      { ...entry('create', 1, { value: {} }), id: { x: 1 } as never },
      /an id must be/,
    ],
    [
      'an idempotency key that is not a string',
      { ...entry('create', 1, { value: {} }), idempotencyKey: 7 as never },
      /idempotency key/,
    ],
    ['an unknown op', { ...entry('create', 1, { value: {} }), op: 'merge' as never }, /unknown op "merge"/],
    ['a create without a value', entry('create', 1), /this create has no value/],
    ['an update with neither patches nor value', entry('update', 'kept'), /this update has no value/],
    [
      'patches that are not an array',
      entry('patch', 'kept', { patches: {} as never }),
      /patches must be an array/,
    ],
    ['a value that cannot be cloned', entry('upsert', 1, { value: { run: () => 1 } }), /cannot be stored/],
    ['a value that is not an object', entry('upsert', 1, { value: 5 }), /an item must be an object/],
    [
      'a patch that replaces the item with a non-object',
      entry('patch', 'kept', { patches: [{ op: 'replace', path: [], value: null }] }),
      /an item must be an object/,
    ],
  ])(
    'rejects %s as VALIDATION naming the entry, and applies the rest of the batch',
    async (_, bad, message) => {
      const node = registeredNode(makePlugin())
      const kept = entry('create', 'kept', { value: { id: 'kept' } })
      const after = entry('create', 'after', { value: { id: 'after' } })
      const result = await node.write({ store: 'todos', entries: [kept, bad, after], signal })
      expect(result.status).toBe('partial')
      expect(result.items[1]).toEqual({
        entryId: bad.entryId,
        status: 'rejected',
        error: { code: 'VALIDATION', message: expect.stringMatching(message), retryable: false },
      })
      expect((result.items[1] as { error: { message: string } }).error.message).toContain(bad.entryId)
      const { versions } = await node.query({ store: 'todos', query: {}, signal })
      expect(versions).toEqual(
        new Map([
          ['after', 2],
          ['kept', 1],
        ]),
      )
    },
  )

  it('keeps values as structured clones: Dates, Maps and Sets come back as such, fresh each time', async () => {
    const node = registeredNode(makePlugin())
    const value = { id: 'a', at: new Date(0), byId: new Map([[1, 'x']]), tags: new Set(['t']) }
    await node.write({ store: 'todos', entries: [entry('create', 'a', { value })], signal })
    const first = await node.query({ store: 'todos', query: {}, signal })
    const second = await node.query({ store: 'todos', query: {}, signal })
    expect(first.items).toEqual([value])
    const [a] = first.items as [typeof value]
    const [b] = second.items as [typeof value]
    expect(a.at).toBeInstanceOf(Date)
    expect(a.byId).not.toBe(b.byId)
    expect(a.byId).not.toBe(value.byId)
  })

  it('answers a replay with a copy of the first result', async () => {
    const node = registeredNode(makePlugin())
    const create = entry('create', 'a', { value: { id: 'a', tags: ['x'] } })
    await node.write({ store: 'todos', entries: [create], signal })
    const replay = async () => {
      const [item] = (await node.write({ store: 'todos', entries: [resend(create)], signal })).items
      if (item?.status !== 'confirmed') throw new Error('the replay was not confirmed')
      return item.value as { tags: string[] }
    }
    ;(await replay()).tags.push('mutated')
    expect(await replay()).toEqual({ id: 'a', tags: ['x'] })
  })
})
