import { createRuntime, defineCollection } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'
import { controllableBackend, flush } from './controllableBackend.js'

interface Doc {
  id: string
  title: string
  pinned: boolean
}
const docs = defineCollection<Doc>('docs', { key: 'id', policy: 'controlled' })

describe('runtime.applyWriteback (RuntimeApplyPort)', () => {
  it('lands server data on the confirmed base, re-applies pending writes on top, and returns the patches of that pass', async () => {
    const backend = controllableBackend()
    const runtime = createRuntime({ stores: [docs], plugins: [backend.plugin] })
    const handle = runtime.store(docs)
    await runtime.applyWriteback({
      store: 'docs',
      items: [{ id: 'd', value: { id: 'd', title: 'v1', pinned: false }, version: 1 }],
    })
    const pending = handle.write.patch('d', { pinned: true })

    // A sync pull: someone renamed the doc on the server.
    const result = await runtime.applyWriteback({
      store: 'docs',
      origin: 'sync',
      items: [{ id: 'd', value: { id: 'd', title: 'renamed', pinned: false }, version: 2 }],
    })
    expect(handle.get('d')).toEqual({ id: 'd', title: 'renamed', pinned: true })
    expect(result.patches).toEqual([{ op: 'replace', path: ['d', 'title'], value: 'renamed' }])
    expect(result.inversePatches).toEqual([{ op: 'replace', path: ['d', 'title'], value: 'v1' }])
    expect(runtime.history(docs).find((r) => r.txnId === result.txnId)?.origin.kind).toBe('sync')

    // The write had left with version 1; the server, now at 2, refuses it: the sync's data stays.
    await flush()
    const call = backend.take()
    expect(call.entries[0]).toMatchObject({ baseVersion: 1 })
    call.reject('CONFLICT')
    await pending
    expect(handle.get('d')).toEqual({ id: 'd', title: 'renamed', pinned: false })

    const removed = await runtime.applyWriteback({ store: 'docs', items: [{ id: 'd', deleted: true }] })
    expect(removed.changedIds).toEqual(['d'])
    expect(handle.get('d')).toBeUndefined()
  })

  it('never lands older data over newer: an item below the known version is skipped', async () => {
    const runtime = createRuntime({ stores: [docs], plugins: [controllableBackend().plugin] })
    await runtime.applyWriteback({
      store: 'docs',
      items: [{ id: 'd', value: { id: 'd', title: 'v5', pinned: false }, version: 5 }],
    })
    const stale = await runtime.applyWriteback({
      store: 'docs',
      origin: 'sync',
      items: [
        { id: 'd', value: { id: 'd', title: 'v3', pinned: false }, version: 3 },
        { id: 'e', value: { id: 'e', title: 'new', pinned: false }, version: 4 },
      ],
    })
    expect(runtime.store(docs).get('d')?.title).toBe('v5')
    expect(runtime.store(docs).get('e')?.title).toBe('new')
    expect(stale.changedIds).toEqual(['e'])
  })

  it('a confirmation older than data a pull already landed does not overwrite it', async () => {
    const backend = controllableBackend()
    const runtime = createRuntime({ stores: [docs], plugins: [backend.plugin] })
    const handle = runtime.store(docs)
    backend.table('docs').set('d', { value: { id: 'd', title: 'v1', pinned: false }, version: 1 })
    await runtime.applyWriteback({
      store: 'docs',
      items: [{ id: 'd', value: { id: 'd', title: 'v1', pinned: false }, version: 1 }],
    })
    const write = handle.write.patch('d', { pinned: true })
    await flush()
    // The server applies the write (version 2), then another client renames it (version 3); a pull
    // brings version 3 before the write's own answer (version 2) arrives.
    const call = backend.take()
    await runtime.applyWriteback({
      store: 'docs',
      origin: 'sync',
      items: [{ id: 'd', value: { id: 'd', title: 'renamed', pinned: true }, version: 3 }],
    })
    call.confirm()
    const result = await write
    expect(result.status).toBe('confirmed')
    expect(handle.get('d')).toEqual({ id: 'd', title: 'renamed', pinned: true })
    expect(handle.pendingCount()).toBe(0)
  })

  it('a late confirmation of a create does not bring back an item a pull saw deleted after it', async () => {
    const backend = controllableBackend()
    const runtime = createRuntime({ stores: [docs], plugins: [backend.plugin] })
    const handle = runtime.store(docs)
    const write = handle.write.create({ id: 'n', title: 'new', pinned: false })
    await flush()
    // The server creates it (version 1) but the answer is slow; another client deletes it (version
    // 2) and a pull brings the delete first.
    const call = backend.take()
    await runtime.applyWriteback({
      store: 'docs',
      origin: 'sync',
      items: [{ id: 'n', deleted: true, version: 2 }],
    })
    call.confirm()
    expect((await write).status).toBe('confirmed')
    expect(handle.get('n')).toBeUndefined()
    // Data from before the delete is stale for good, newer data is not.
    await runtime.applyWriteback({
      store: 'docs',
      items: [{ id: 'n', value: { id: 'n', title: 'old', pinned: false }, version: 1 }],
    })
    expect(handle.get('n')).toBeUndefined()
    await runtime.applyWriteback({
      store: 'docs',
      items: [{ id: 'n', value: { id: 'n', title: 'again', pinned: false }, version: 3 }],
    })
    expect(handle.get('n')).toEqual({ id: 'n', title: 'again', pinned: false })
  })

  it.each([
    ['a value with an own __proto__ key', { id: 'a', value: JSON.parse('{"id":"a","__proto__":{}}') }],
    ['a value that is not an object', { id: 'a', value: 42 }],
    ['a version that is not an integer', { id: 'a', value: { id: 'a' }, version: 1.5 }],
    ['no usable id', { id: {} as never, value: { id: 'a' } }],
  ])('refuses %s, naming it, and lands nothing of the batch', async (_what, bad) => {
    const runtime = createRuntime({ stores: [docs], plugins: [controllableBackend().plugin] })
    await expect(
      runtime.applyWriteback({
        store: 'docs',
        items: [{ id: 'ok', value: { id: 'ok', title: 'fine', pinned: false } }, bad],
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', store: 'docs' })
    expect(runtime.store(docs).getState().size).toBe(0)
  })

  it('refuses an item whose value carries another id, and unknown stores', async () => {
    const runtime = createRuntime({ stores: [docs], plugins: [controllableBackend().plugin] })
    await expect(
      runtime.applyWriteback({
        store: 'docs',
        items: [{ id: 'a', value: { id: 'b', title: '', pinned: false } }],
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(runtime.applyWriteback({ store: 'nope', items: [] })).rejects.toMatchObject({
      code: 'UNKNOWN_STORE',
    })
    expect(runtime.store(docs).getState().size).toBe(0)
  })
})
