import { type AtomaPlugin, createRuntime, defineCollection, memoryBackend } from '@atoma/runtime'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { indexedDbBackend } from '../../../src/adapters/indexeddb/indexedDbBackend.js'
import { entry } from '../../conformance/harness.js'
import { registeredNode } from '../../conformance/registeredNode.js'

// The local nodes answer pages with a keyset cursor (query/evaluate.ts, "Cursors") when more follow.
const backends: Array<[string, () => AtomaPlugin]> = [
  ['memoryBackend', () => memoryBackend()],
  ['indexedDbBackend', () => indexedDbBackend({ name: 'cursors', indexedDB: new IDBFactory() })],
]
const signal = new AbortController().signal

interface Task {
  id: string
  rank: number
}
const ranks: Task[] = [
  { id: 'a', rank: 3 },
  { id: 'b', rank: 1 },
  { id: 'c', rank: 2 },
  { id: 'd', rank: 1 },
  { id: 'e', rank: 2 },
]

describe.each(backends)('%s pages', (_, makePlugin) => {
  async function filled() {
    const node = registeredNode(makePlugin())
    const entries = ranks.map((task) => entry('create', task.id, { value: task }))
    await node.write({ store: 'tasks', entries, signal })
    return node
  }

  it('answers the cursor after the last item while more follow, none on the last page', async () => {
    const node = await filled()
    const orderBy = [['rank', 'desc']] as const
    const seen: string[] = []
    let after: string | undefined
    let pages = 0
    do {
      const query = { orderBy, limit: 2, ...(after === undefined ? {} : { after }) }
      const page = await node.query({ store: 'tasks', query, signal })
      seen.push(...page.items.map((item) => (item as Task).id))
      after = page.cursor
      pages++
    } while (after !== undefined && pages < 10)
    // rank desc, ties by key: a(3) c(2) e(2) b(1) d(1)
    expect(seen).toEqual(['a', 'c', 'e', 'b', 'd'])
    expect(pages).toBe(3)
    // A page that ends exactly at the end says so: no cursor to an empty page.
    const exact = await node.query({ store: 'tasks', query: { orderBy, limit: 5 }, signal })
    expect(exact.cursor).toBeUndefined()
    const unpaged = await node.query({ store: 'tasks', query: { orderBy }, signal })
    expect(unpaged.cursor).toBeUndefined()
  })

  it('sees an item created between two pages where the order puts it', async () => {
    const node = await filled()
    const orderBy = [['rank', 'asc']] as const
    const first = await node.query({ store: 'tasks', query: { orderBy, limit: 2 }, signal })
    expect(first.items.map((item) => (item as Task).id)).toEqual(['b', 'd'])
    await node.write({
      store: 'tasks',
      entries: [entry('create', 'aa', { value: { id: 'aa', rank: 0 } })],
      signal,
    })
    await node.write({
      store: 'tasks',
      entries: [entry('create', 'cc', { value: { id: 'cc', rank: 2 } })],
      signal,
    })
    const second = await node.query({
      store: 'tasks',
      query: { orderBy, limit: 2, after: first.cursor },
      signal,
    })
    // 'aa' sorts before the cursor (page 1's part), 'cc' after it: keyset pages skip and repeat nothing.
    expect(second.items.map((item) => (item as Task).id)).toEqual(['c', 'cc'])
  })

  it('refuses a cursor of another query or one that does not decode, as VALIDATION', async () => {
    const node = await filled()
    const { cursor } = await node.query({
      store: 'tasks',
      query: { orderBy: [['rank', 'asc']], limit: 1 },
      signal,
    })
    await expect(
      node.query({ store: 'tasks', query: { orderBy: [['rank', 'desc']], limit: 1, after: cursor }, signal }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/"tasks".*another query/) })
    await expect(
      node.query({ store: 'other', query: { orderBy: [['rank', 'asc']], after: cursor }, signal }),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(node.query({ store: 'tasks', query: { after: '%%%' }, signal })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/after does not decode as a cursor/),
    })
  })
})

describe('through the kernel', () => {
  it('meta.cursor carries the node’s cursor; handle.query refuses a foreign one before any IO', async () => {
    const tasks = defineCollection<Task>('tasks', { key: 'id' })
    const runtime = createRuntime({ stores: [tasks], plugins: [memoryBackend({ seed: { tasks: ranks } })] })
    const handle = runtime.store(tasks)
    const page = await handle.query({ orderBy: [['rank', 'asc']], limit: 3 })
    expect(page.items.map((task) => task.id)).toEqual(['b', 'd', 'c'])
    expect(typeof page.meta.cursor).toBe('string')
    const next = await handle.query({ orderBy: [['rank', 'asc']], limit: 3, after: page.meta.cursor })
    expect(next.items.map((task) => task.id)).toEqual(['e', 'a'])
    expect(next.meta.cursor).toBeUndefined()
    await expect(handle.query({ orderBy: [['id', 'asc']], after: page.meta.cursor })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
  })
})
