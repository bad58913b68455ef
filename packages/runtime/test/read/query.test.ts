import { AtomaError, createRuntime, defineCollection, memoryBackend } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'
import { controllableBackend, flush } from '../write/controllableBackend.js'

interface Task {
  id: string
  title: string
  done: boolean
}
const tasks = defineCollection<Task>('tasks', { key: 'id', policy: 'controlled' })
const t = (id: string, title = id, done = false): Task => ({ id, title, done })

async function setup(local: Task[], server: Task[]) {
  const backend = controllableBackend()
  const runtime = createRuntime({ stores: [tasks], plugins: [backend.plugin] })
  const handle = runtime.store(tasks)
  // Local items the server confirmed earlier (they carry versions) ...
  for (const item of local) backend.table('tasks').set(item.id, { value: { ...item }, version: 1 })
  const first = handle.query({})
  await flush()
  backend.take().confirm()
  await first
  // ... then the server's data changes behind the client's back.
  backend.table('tasks').clear()
  for (const item of server) backend.table('tasks').set(item.id, { value: { ...item }, version: 2 })
  return { backend, runtime, handle }
}

async function answer(s: Awaited<ReturnType<typeof setup>>, run: () => Promise<unknown>) {
  const pending = run()
  await flush()
  s.backend.take(s.backend.calls.findIndex((c) => c.kind === 'query')).confirm()
  return pending
}

const ids = (s: Awaited<ReturnType<typeof setup>>) => [...s.handle.getState().keys()].sort()

describe('store.query merge policies', () => {
  it("'replace' (default): local confirmed items the query covers but the server did not return are removed", async () => {
    const s = await setup([t('a'), t('b'), t('c')], [t('a', 'A'), t('c')])
    const result = (await answer(s, () => s.handle.query({}))) as { items: Task[]; txnId: number }
    expect(ids(s)).toEqual(['a', 'c'])
    expect(s.handle.get('a')?.title).toBe('A')
    expect(result.items.map((i) => i.id)).toEqual(['a', 'c'])
    expect(s.runtime.history(tasks).find((r) => r.txnId === result.txnId)?.origin.kind).toBe('query')
  })

  it("'replace' with a where only touches what the query covers", async () => {
    const s = await setup([t('a', 'a', true), t('b', 'b', false)], [t('b', 'b', false)])
    await answer(s, () => s.handle.query({ where: { done: false } }))
    // 'a' is done: outside the query, so its absence from the result says nothing about it.
    expect(ids(s)).toEqual(['a', 'b'])
  })

  it("'upsert-only' inserts and updates, never removes", async () => {
    const s = await setup([t('a'), t('b')], [t('a', 'A'), t('z')])
    await answer(s, () => s.handle.query({}, { merge: 'upsert-only' }))
    expect(ids(s)).toEqual(['a', 'b', 'z'])
    expect(s.handle.get('a')?.title).toBe('A')
  })

  it("'preserve-missing' removes only items the server was known to have; local-only ones stay", async () => {
    const s = await setup([t('a')], [])
    // A local-only item: put in the store directly, never confirmed by a server (no version).
    s.runtime.transact(tasks, (d) => void d.set('local', t('local')), { kind: 'sync' })
    await answer(s, () => s.handle.query({}, { merge: 'preserve-missing' }))
    expect(ids(s)).toEqual(['local'])
  })

  it('pending writes survive every policy: a pending create is not removed by a replace', async () => {
    const s = await setup([t('a')], [t('a')])
    const write = s.handle.write.create(t('new'))
    await flush()
    await answer(s, () => s.handle.query({}))
    expect(ids(s)).toEqual(['a', 'new'])
    s.backend.take().confirm()
    await write
    expect(ids(s)).toEqual(['a', 'new'])
  })

  it('an older answer never overwrites a newer version', async () => {
    const s = await setup([t('a')], [t('a', 'server v2')])
    const stale = s.handle.query({})
    await flush()
    const staleCall = s.backend.take()
    // Meanwhile a newer read lands (version 2), then this client writes 'a': confirmed as version 3.
    await answer(s, () => s.handle.query({}))
    const write = s.handle.write.patch('a', { title: 'mine' })
    await flush()
    s.backend.take().confirm()
    await write
    staleCall.confirm()
    await stale
    expect(s.handle.get('a')?.title).toBe('mine')
  })

  it('refuses an unknown merge policy and an invalid query before any IO', async () => {
    const s = await setup([], [])
    await expect(s.handle.query({}, { merge: 'nope' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
    await expect(s.handle.query({ where: { title: { like: 'x' } } } as never)).rejects.toBeInstanceOf(
      AtomaError,
    )
    expect(s.backend.calls).toHaveLength(0)
  })

  it('evaluate runs the same query language locally and synchronously, pending writes included', async () => {
    const s = await setup([t('a', 'x'), t('b', 'y', true)], [])
    s.handle.write.create(t('c', 'z'))
    expect(
      s.handle.evaluate({ where: { done: false }, orderBy: [['title', 'desc']] }).map((i) => i.id),
    ).toEqual(['c', 'a'])
  })
})

describe('paged results', () => {
  const byTitle = [['title', 'asc']] as const
  const local = defineCollection<Task>('tasks', { key: 'id' })

  /** A client over a memory "server" that another client (`other`) changes behind its back. */
  async function server(items: Task[]) {
    const backend = memoryBackend({ seed: { tasks: items } })
    const client = createRuntime({ stores: [local], plugins: [backend] }).store(local)
    const other = createRuntime({ stores: [local], plugins: [backend] }).store(local)
    await other.query({})
    return { client, other, ids: () => [...client.getState().keys()].sort() }
  }

  it("'replace' on a page removes only what the page's part of the order held", async () => {
    const s = await server([t('a'), t('ab'), t('b'), t('c'), t('d'), t('e')])
    await s.client.query({})
    // 'ab' (between a and b) is deleted on the server.
    await s.other.write.delete('ab')
    await s.client.query({ orderBy: byTitle, offset: 2, limit: 2 })
    // The page is c d: 'ab' and b lie before it, so its answer says nothing about them (a window
    // counted over the local items would have taken b for the page's first and removed it).
    expect(s.ids()).toEqual(['a', 'ab', 'b', 'c', 'd', 'e'])
    await s.client.query({ orderBy: byTitle, limit: 2 })
    // Page 1 is a b: 'ab' lies inside it, and goes.
    expect(s.ids()).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('view bounds the page, so evaluate shows it live with creates where the order puts them', async () => {
    const s = await server([t('a'), t('c'), t('e'), t('g'), t('i')])
    const page = await s.client.query({ orderBy: byTitle, offset: 1, limit: 2 })
    expect(page.items.map((i) => i.id)).toEqual(['c', 'e'])
    expect(page.view.limit).toBeUndefined()
    const writes = [
      s.client.write.create(t('d')),
      s.client.write.create(t('b')),
      s.client.write.create(t('f')),
      s.client.write.patch('c', { done: true }),
    ]
    expect(s.client.evaluate(page.view).map((i) => [i.id, i.done])).toEqual([
      ['c', true],
      ['d', false],
      ['e', false],
    ])
    await Promise.all(writes)
    // The last page (shorter than its limit) is open at its end, the first at its start.
    const last = await s.client.query({ orderBy: byTitle, offset: 6, limit: 3 })
    s.client.write.create(t('z'))
    expect(s.client.evaluate(last.view).map((i) => i.id)).toEqual(['g', 'i', 'z'])
    const first = await s.client.query({ orderBy: byTitle, limit: 1 })
    s.client.write.create(t('0'))
    expect(s.client.evaluate(first.view).map((i) => i.id)).toEqual(['0', 'a'])
  })

  it('an empty page past an offset shows nothing; an empty first page shows what is created', async () => {
    const s = await server([t('a')])
    const past = await s.client.query({ orderBy: byTitle, offset: 5, limit: 2 })
    const empty = await s.client.query({ where: { done: true }, limit: 2 })
    s.client.write.create(t('b', 'b', true))
    expect(s.client.evaluate(past.view)).toEqual([])
    expect(s.client.evaluate(empty.view).map((i) => i.id)).toEqual(['b'])
  })
})

describe('fail fast', () => {
  it('a collection whose policy finds no node throws NO_EXECUTION_NODE at createRuntime', () => {
    const orphan = defineCollection<Task>('orphan', { key: 'id', policy: 'direct-http' })
    expect(() => createRuntime({ stores: [orphan], plugins: [memoryBackend()] })).toThrowError(
      expect.objectContaining({ code: 'NO_EXECUTION_NODE', message: expect.stringContaining("'orphan'") }),
    )
  })
})
