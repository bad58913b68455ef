import { type AsyncStorage, type JournalEvent, openJournal, type SyncStorage } from '@atoma/journal'
import { expect, it } from 'vitest'

/**
 * What every driver must do, run against each one: the byte-level contract the journal relies
 * on, then a journal's life on it (commits, reopen, compaction, a torn tail and its recovery).
 */
export function storageContract(
  make: () => SyncStorage | AsyncStorage | Promise<SyncStorage | AsyncStorage>,
) {
  const bytes = (...values: number[]) => new Uint8Array(values)

  it('keeps bytes: compare-and-append, read from any offset, truncate, remove, generations in order', async () => {
    const storage = await make()
    expect(await storage.generations('a')).toEqual([])
    expect(await storage.read('a', 0, 0)).toEqual(new Uint8Array(0))
    expect(await storage.append('a', 0, 1, bytes(9))).toBe(false) // not there: only 0 creates
    expect(await storage.append('a', 0, 0, bytes(1, 2, 3))).toBe(true)
    expect(await storage.append('a', 0, 0, bytes(7))).toBe(false) // someone appended: size is 3
    expect(await storage.append('a', 0, 3, bytes(4, 5))).toBe(true)
    expect(await storage.append('a', 0, 5, bytes(6))).toBe(true)
    expect(await storage.read('a', 0, 0)).toEqual(bytes(1, 2, 3, 4, 5, 6))
    expect(await storage.read('a', 0, 4)).toEqual(bytes(5, 6))
    expect(await storage.read('a', 0, 3)).toEqual(bytes(4, 5, 6))
    expect(await storage.read('a', 0, 6)).toEqual(new Uint8Array(0))
    await storage.truncate('a', 0, 4)
    expect(await storage.read('a', 0, 0)).toEqual(bytes(1, 2, 3, 4))
    expect(await storage.append('a', 0, 5, bytes(0))).toBe(false)
    expect(await storage.append('a', 0, 4, bytes(8))).toBe(true)
    expect(await storage.read('a', 0, 2)).toEqual(bytes(3, 4, 8))
    await storage.append('a', 10, 0, bytes(1))
    await storage.append('a', 2, 0, bytes(2))
    await storage.append('a.1', 0, 0, bytes(3)) // a name that extends another is another journal
    expect(await storage.generations('a')).toEqual([0, 2, 10])
    expect(await storage.generations('a.1')).toEqual([0])
    await storage.remove('a', 2)
    await storage.remove('a', 3) // absent: nothing happens
    expect(await storage.generations('a')).toEqual([0, 10])
    expect(await storage.read('a.1', 0, 0)).toEqual(bytes(3))
    if (storage.mode === 'sync') return // a synchronous lock has nothing to wait for
    const seen: string[] = []
    await Promise.all([
      storage.lock('a', async () => {
        seen.push('first in')
        await new Promise((resolve) => setTimeout(resolve, 5))
        seen.push('first out')
      }),
      storage.lock('a', async () => void seen.push('second')),
    ])
    expect(seen).toEqual(['first in', 'first out', 'second'])
  })

  it('holds a journal: commits, reopening, compaction, a torn tail and its recovery', async () => {
    const storage = await make()
    const events: JournalEvent[] = []
    const open = () =>
      openJournal(storage as SyncStorage, {
        name: 'todos',
        initial: { items: {} },
        onEvent: (e) => events.push(e),
      })
    const journal = await open()
    await journal.commit([{ op: 'add', path: ['items', 'a'], value: { title: 'milk', due: new Date(0) } }])
    await journal.commit([{ op: 'add', path: ['items', 'b'], value: { title: 'eggs' } }])
    await journal.compact()
    await journal.commit([{ op: 'remove', path: ['items', 'a'] }])
    await journal.commit([{ op: 'replace', path: ['items', 'b', 'title'], value: 'bread' }])
    expect(await storage.generations('todos')).toEqual([1])
    const reopened = await open()
    expect(reopened.root).toEqual({ items: { b: { title: 'bread' } } })
    expect(reopened.stats()).toMatchObject({ generation: 1, seq: 4, checkpointSeq: 2 })

    const size = (await storage.read('todos', 1, 0)).length
    await storage.truncate('todos', 1, size - 3) // the last commit, torn
    events.length = 0
    const torn = await open()
    expect(torn.root).toEqual({ items: { b: { title: 'eggs' } } })
    expect(events).toEqual([
      { type: 'damaged', diagnostic: expect.objectContaining({ reason: 'torn', generation: 1 }) },
    ])
    const recovery = await torn.recover()
    expect(recovery?.discarded).toBeGreaterThan(0)
    await torn.commit([{ op: 'replace', path: ['items', 'b', 'title'], value: 'butter' }])
    expect((await open()).root).toEqual({ items: { b: { title: 'butter' } } })
  })
}
