import { AtomaError, type MemoryRow, type MemoryStorage } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'
import { memoryBackend } from '../../src/adapters/memory/memoryBackend.js'
import { entry } from '../conformance/harness.js'
import { registeredNode } from '../conformance/registeredNode.js'

const signal = new AbortController().signal

describe('memoryBackend', () => {
  it('registers one local node, named memory unless told otherwise', () => {
    expect(registeredNode(memoryBackend())).toMatchObject({ id: 'memory', source: 'local' })
    expect(registeredNode(memoryBackend({ id: 'cache' })).id).toBe('cache')
  })

  describe('seed', () => {
    it('stores seed items at version 1, keyed by their id field unless keys says otherwise', async () => {
      const node = registeredNode(
        memoryBackend({
          seed: {
            todos: [
              { id: 2, title: 'b' },
              { id: 1, title: 'a' },
            ],
            users: [{ email: 'ann@example.com', name: 'Ann' }],
            tags: [{ label: 'x' }],
          },
          keys: { users: 'email', tags: (tag) => `tag:${(tag as { label: string }).label}` },
        }),
      )
      const todos = await node.query({ store: 'todos', query: { orderBy: [['title', 'asc']] }, signal })
      expect(todos.items).toEqual([
        { id: 1, title: 'a' },
        { id: 2, title: 'b' },
      ])
      expect(todos.versions).toEqual(
        new Map([
          [1, 1],
          [2, 1],
        ]),
      )
      const users = await node.query({ store: 'users', query: {}, signal })
      expect(users.versions).toEqual(new Map([['ann@example.com', 1]]))
      const tagged = await node.write({
        store: 'tags',
        entries: [entry('update', 'tag:x', { baseVersion: 1, value: { label: 'x', done: true } })],
        signal,
      })
      expect(tagged.status).toBe('confirmed')
    })

    it('copies seed items: changing the seed object later changes nothing', async () => {
      const item = { id: 'a', tags: ['x'] }
      const node = registeredNode(memoryBackend({ seed: { todos: [item] } }))
      item.tags.push('y')
      expect((await node.query({ store: 'todos', query: {}, signal })).items).toEqual([
        { id: 'a', tags: ['x'] },
      ])
    })

    it.each<[string, unknown[], Record<string, string> | undefined, RegExp]>([
      ['a duplicate id', [{ id: 1 }, { id: 1 }], undefined, /store 'todos' has id 1 twice/],
      [
        'an item without its key',
        [{ id: 1 }, { name: 'x' }],
        undefined,
        /item 1 of store 'todos' has no usable id in 'id'/,
      ],
      ['a key field that is not an id', [{ ref: { deep: 1 } }], { todos: 'ref' }, /no usable id in 'ref'/],
      ['an item that is not an object', ['plain'], undefined, /item 0 of store 'todos' is not an object/],
    ])('rejects %s at creation, naming the store', (_, items, keys, message) => {
      const create = () => memoryBackend({ seed: { todos: items }, ...(keys ? { keys } : {}) })
      expect(create).toThrow(AtomaError)
      expect(create).toThrow(message)
    })
  })

  it('keeps its data across every runtime it is set up in', async () => {
    const plugin = memoryBackend()
    const first = registeredNode(plugin)
    const second = registeredNode(plugin)
    await first.write({ store: 'todos', entries: [entry('create', 'a', { value: { id: 'a' } })], signal })
    expect((await second.query({ store: 'todos', query: {}, signal })).items).toEqual([{ id: 'a' }])
  })

  describe('storage', () => {
    function journal(rows: MemoryRow[] = []) {
      const saved: MemoryRow[][] = []
      let failNext = false
      const storage: MemoryStorage = {
        load: async () => rows,
        save(changes) {
          if (failNext) {
            failNext = false
            throw new Error('disk full')
          }
          saved.push(structuredClone([...changes]))
        },
      }
      return { storage, saved, failNext: () => (failNext = true) }
    }

    it('loads its rows before answering, and saves each write before confirming it', async () => {
      const j = journal([{ store: 'todos', id: 'a', value: { id: 'a', title: 'kept' }, version: 4 }])
      const node = registeredNode(memoryBackend({ storage: j.storage, seed: { todos: [{ id: 'seed' }] } }))
      const read = await node.query({ store: 'todos', query: {}, signal })
      // The storage had rows: the seed is for an empty storage only.
      expect(read.items).toEqual([{ id: 'a', title: 'kept' }])
      expect(read.versions?.get('a')).toBe(4)
      const written = await node.write({
        store: 'todos',
        entries: [
          entry('update', 'a', { patches: [{ op: 'replace', path: ['title'], value: 'new' }] }),
          entry('delete', 'a'),
        ],
        signal,
      })
      expect(written.status).toBe('confirmed')
      expect(j.saved).toEqual([
        [
          { store: 'todos', id: 'a', value: { id: 'a', title: 'new' }, version: 5 },
          { store: 'todos', id: 'a', version: 6 },
        ],
      ])
    })

    it('seeds an empty storage', async () => {
      const node = registeredNode(
        memoryBackend({ storage: journal().storage, seed: { todos: [{ id: 's' }] } }),
      )
      expect((await node.query({ store: 'todos', query: {}, signal })).items).toEqual([{ id: 's' }])
    })

    it('a save that fails confirms nothing and leaves the tables as the storage has them', async () => {
      const j = journal([{ store: 'todos', id: 'a', value: { id: 'a', title: 'kept' }, version: 1 }])
      const node = registeredNode(memoryBackend({ storage: j.storage }))
      j.failNext()
      const create = entry('create', 'b', { value: { id: 'b' } })
      await expect(
        node.write({ store: 'todos', entries: [create, entry('delete', 'a')], signal }),
      ).rejects.toMatchObject({
        code: 'TRANSPORT',
        retryable: true,
        message: expect.stringContaining('disk full'),
      })
      expect((await node.query({ store: 'todos', query: {}, signal })).items).toEqual([
        { id: 'a', title: 'kept' },
      ])
      // The retry (same idempotency key) applies: nothing of the failed attempt was remembered.
      const retry = await node.write({ store: 'todos', entries: [{ ...create, entryId: 'again' }], signal })
      expect(retry.status).toBe('confirmed')
      expect(j.saved).toHaveLength(1)
    })

    it('a storage that loads malformed rows fails every call clearly', async () => {
      const node = registeredNode(
        memoryBackend({
          storage: { load: () => [{ store: 'todos', id: {} as never, version: 1 }], save() {} },
        }),
      )
      await expect(node.query({ store: 'todos', query: {}, signal })).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('malformed'),
      })
    })
  })
})
