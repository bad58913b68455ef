import { AtomaError } from '@atoma/runtime'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { indexedDbBackend } from '../../src/adapters/indexeddb/indexedDbBackend.js'
import { entry, resend } from '../conformance/harness.js'
import { registeredNode } from '../conformance/registeredNode.js'

const signal = new AbortController().signal

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function databaseNames(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((db) => db.name ?? '')
}

describe('indexedDbBackend', () => {
  it('registers one local node named after its database unless told otherwise', () => {
    const indexedDB = new IDBFactory()
    expect(registeredNode(indexedDbBackend({ name: 'app', indexedDB }))).toMatchObject({
      id: 'indexeddb:app',
      source: 'local',
    })
    expect(registeredNode(indexedDbBackend({ name: 'app', id: 'disk', indexedDB })).id).toBe('disk')
  })

  it('keeps items, versions and idempotency results across instances on the same database', async () => {
    const indexedDB = new IDBFactory()
    const before = registeredNode(indexedDbBackend({ name: 'app', indexedDB }))
    const create = entry('create', 1, { value: { id: 1, title: 'a' } })
    await before.write({
      store: 'todos',
      entries: [create, entry('create', '1', { value: { id: '1' } })],
      signal,
    })
    await before.write({
      store: 'todos',
      entries: [entry('update', 1, { value: { id: 1, title: 'b' } })],
      signal,
    })

    const after = registeredNode(indexedDbBackend({ name: 'app', indexedDB }))
    const { items, versions } = await after.query({ store: 'todos', query: {}, signal })
    expect(items).toEqual([{ id: 1, title: 'b' }, { id: '1' }])
    expect(versions).toEqual(
      new Map<string | number, number>([
        [1, 3],
        ['1', 2],
      ]),
    )
    const replay = resend(create)
    const replayed = await after.write({ store: 'todos', entries: [replay], signal })
    expect(replayed.items).toEqual([
      { entryId: replay.entryId, status: 'confirmed', value: { id: 1, title: 'a' }, version: 1 },
    ])
    const next = await after.write({
      store: 'todos',
      entries: [entry('patch', 1, { baseVersion: 3, patches: [{ op: 'add', path: ['done'], value: true }] })],
      signal,
    })
    // The store's sequence survived the new instance too: the next change takes 4.
    expect(next.items[0]).toMatchObject({ status: 'confirmed', version: 4 })
  })

  it('upgrades a database of the first schema: each store’s sequence starts above its highest version', async () => {
    const indexedDB = new IDBFactory()
    await new Promise<void>((done, fail) => {
      const request = indexedDB.open('old', 1)
      request.onupgradeneeded = () => {
        const db = request.result
        const items = db.createObjectStore('items', { keyPath: ['store', 'id'] })
        items.createIndex('store', 'store')
        db.createObjectStore('replays', { keyPath: ['store', 'key'] })
        items.put({ store: 'todos', id: 'a', version: 5, value: { id: 'a' } })
        items.put({ store: 'todos', id: 'b', version: 7, value: { id: 'b' } })
        items.put({ store: 'notes', id: 'n', version: 2, value: { id: 'n' } })
      }
      request.onsuccess = () => {
        request.result.close()
        done()
      }
      request.onerror = () => fail(request.error)
    })
    const node = registeredNode(indexedDbBackend({ name: 'old', indexedDB }))
    const todo = await node.write({
      store: 'todos',
      entries: [entry('create', 'c', { value: { id: 'c' } })],
      signal,
    })
    const note = await node.write({ store: 'notes', entries: [entry('delete', 'n')], signal })
    expect(todo.items[0]).toMatchObject({ status: 'confirmed', version: 8 })
    expect(note.items[0]).toMatchObject({ status: 'confirmed', version: 3 })
  })

  it('keeps databases of different names apart', async () => {
    const indexedDB = new IDBFactory()
    const one = registeredNode(indexedDbBackend({ name: 'one', indexedDB }))
    const two = registeredNode(indexedDbBackend({ name: 'two', indexedDB }))
    await one.write({ store: 'todos', entries: [entry('create', 'a', { value: { id: 'a' } })], signal })
    expect((await two.query({ store: 'todos', query: {}, signal })).items).toEqual([])
  })

  it('opens its database on first use, and not for an aborted call', async () => {
    const indexedDB = new IDBFactory()
    const node = registeredNode(indexedDbBackend({ name: 'lazy', indexedDB }))
    expect(await databaseNames(indexedDB)).toEqual([])
    const write = { store: 'todos', entries: [entry('create', 'a', { value: { id: 'a' } })] }
    await expect(node.write({ ...write, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    })
    await expect(
      node.query({ store: 'todos', query: {}, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    })
    expect(await databaseNames(indexedDB)).toEqual([])
    await node.query({ store: 'todos', query: {}, signal })
    expect(await databaseNames(indexedDB)).toEqual(['lazy'])
  })

  it('fails with TRANSPORT on use, not at setup, where there is no IndexedDB', async () => {
    expect(globalThis.indexedDB).toBeUndefined()
    const node = registeredNode(indexedDbBackend({ name: 'app' }))
    const message = /indexedDbBackend 'app': there is no IndexedDB here; pass options.indexedDB/
    await expect(node.query({ store: 'todos', query: {}, signal })).rejects.toThrow(message)
    const write = node.write({
      store: 'todos',
      entries: [entry('create', 'a', { value: { id: 'a' } })],
      signal,
    })
    await expect(write).rejects.toBeInstanceOf(AtomaError)
    await expect(write).rejects.toMatchObject({ code: 'TRANSPORT' })
  })

  it('fails with TRANSPORT when the database cannot open, and tries again on the next call', async () => {
    const indexedDB = new IDBFactory()
    // A newer schema version of the same name (another app, a future release) blocks opening.
    ;(await request(indexedDB.open('app', 5))).close()
    const node = registeredNode(indexedDbBackend({ name: 'app', indexedDB }))
    await expect(node.query({ store: 'todos', query: {}, signal })).rejects.toMatchObject({
      code: 'TRANSPORT',
      message: expect.stringContaining("indexedDbBackend 'app': cannot open the database"),
    })
    await request(indexedDB.deleteDatabase('app'))
    expect((await node.query({ store: 'todos', query: {}, signal })).items).toEqual([])
  })

  it('lets the database be deleted while open, and reopens it on next use', async () => {
    const indexedDB = new IDBFactory()
    const node = registeredNode(indexedDbBackend({ name: 'app', indexedDB }))
    await node.write({ store: 'todos', entries: [entry('create', 'a', { value: { id: 'a' } })], signal })
    const deletion = indexedDB.deleteDatabase('app')
    const blocked = new Promise((resolve) => {
      deletion.onblocked = () => resolve('blocked: the backend kept its connection open')
    })
    expect(await Promise.race([request(deletion).then(() => 'deleted'), blocked])).toBe('deleted')
    await node.write({ store: 'todos', entries: [entry('create', 'b', { value: { id: 'b' } })], signal })
    expect((await node.query({ store: 'todos', query: {}, signal })).items).toEqual([{ id: 'b' }])
  })
})
