import { openJournal } from '@atoma/journal'
import { memoryStorage } from '@atoma/journal/memory'
import { journalStorage } from '@atoma/journal/persist'
import { createRuntime, defineCollection, memoryBackend } from '@atoma/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { asAsync } from '../support.js'

interface Todo {
  id: string | number
  title: string
  done: boolean
}
const todos = defineCollection<Todo>('todos', { key: 'id' })

const runtimes: { dispose(): void }[] = []
afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  vi.restoreAllMocks()
})

function open(storage: Parameters<typeof journalStorage>[0], seed?: Todo[]) {
  const runtime = createRuntime({
    stores: [todos],
    plugins: [
      memoryBackend({
        storage: journalStorage(storage, { name: 'local' }),
        ...(seed ? { seed: { todos: seed } } : {}),
      }),
    ],
  })
  runtimes.push(runtime)
  return runtime
}
const all = async (runtime: ReturnType<typeof open>) =>
  (await runtime.store(todos).query({ orderBy: [['title', 'asc']] })).items

describe('journalStorage', () => {
  it('keeps a memoryBackend collection across reloads: creates, updates and deletes', async () => {
    const storage = memoryStorage()
    const first = open(storage, [{ id: 'seed', title: 'seeded', done: false }])
    const handle = first.store(todos)
    expect((await handle.write.create({ id: 'a', title: 'a', done: false })).status).toBe('confirmed')
    expect((await handle.write.create({ id: 1, title: 'number one', done: false })).status).toBe('confirmed')
    expect((await handle.write.create({ id: '1', title: 'string one', done: false })).status).toBe(
      'confirmed',
    )
    await handle.write.patch('a', { done: true })
    await handle.write.delete('seed')

    const second = open(storage, [{ id: 'seed', title: 'seeded', done: false }])
    // The storage holds rows, so the seed is not applied again; 1 and '1' stay two ids.
    expect(await all(second)).toEqual([
      { id: 'a', title: 'a', done: true },
      { id: 1, title: 'number one', done: false },
      { id: '1', title: 'string one', done: false },
    ])
    // Versions came back too: an update is checked against the stored one.
    expect((await second.store(todos).write.patch('a', { title: 'A' })).status).toBe('confirmed')
  })

  it('appends O(change): a write into 10 or 2,000 items costs the same bytes', async () => {
    const appended = async (count: number) => {
      const storage = memoryStorage()
      const seed = Array.from({ length: count }, (_, i) => ({ id: `t${i}`, title: `todo ${i}`, done: false }))
      const runtime = open(storage, seed)
      await runtime.store(todos).write.patch('t1', { done: true }) // the journal's first write: its checkpoint
      const before = storage.bytes('local', 0).length
      await runtime.store(todos).write.patch('t7', { done: true })
      return storage.bytes('local', 0).length - before
    }
    const small = await appended(10)
    expect(await appended(2_000)).toBe(small)
  })

  it('works on an asynchronous driver, and compacts a log that outgrew its checkpoint', async () => {
    const memory = memoryStorage()
    const first = open(asAsync(memory))
    for (let i = 0; i < 60; i++)
      await first.store(todos).write.upsert({ id: 'big', title: `${i} ${'x'.repeat(2000)}`, done: false })
    expect(memory.generations('local')).not.toEqual([0])
    const second = open(asAsync(memory))
    expect((await all(second))[0]?.title).toBe(`59 ${'x'.repeat(2000)}`)
  })

  it('refuses a journal that does not hold rows, naming it', async () => {
    const storage = memoryStorage()
    openJournal(storage, { name: 'local', initial: { not: 'rows' } }).commit([])
    await expect(all(open(storage))).rejects.toMatchObject({
      code: 'VALIDATION',
      cause: {
        message:
          "journalStorage 'local': the journal does not hold memoryBackend rows; the journal is left as it is",
      },
    })
    const bad = memoryStorage()
    openJournal(bad, { name: 'local', initial: new Map([['["todos"]', { value: {}, version: 1 }]]) }).commit(
      [],
    )
    await expect(all(open(bad))).rejects.toMatchObject({
      cause: {
        message: `journalStorage 'local': entry ${JSON.stringify('["todos"]')} does not name a store and an id; the journal is left as it is`,
      },
    })
  })

  it('recovers a torn tail and reports it', async () => {
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const storage = memoryStorage()
    const first = open(storage)
    await first.store(todos).write.create({ id: 'kept', title: 'kept', done: false })
    await first.store(todos).write.create({ id: 'torn', title: 'torn', done: false })
    const bytes = storage.bytes('local', 0)
    storage.put('local', 0, bytes.subarray(0, bytes.length - 3))
    const second = open(storage)
    expect((await all(second)).map((t) => t.id)).toEqual(['kept'])
    expect(warned.mock.calls[0]![0]).toMatch(
      /^\[atoma\] journalStorage: journal 'local' generation 0: the log ends in the middle of a record/,
    )
    await second.store(todos).write.create({ id: 'after', title: 'after', done: false })
    expect((await all(open(storage))).map((t) => t.id)).toEqual(['after', 'kept'])
  })
})
