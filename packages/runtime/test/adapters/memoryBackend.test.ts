import { AtomaError } from '@atoma/runtime'
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
})
