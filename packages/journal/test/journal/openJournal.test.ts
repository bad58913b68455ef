import { type JournalError, openJournal } from '@atoma/journal'
import { memoryStorage } from '@atoma/journal/memory'
import { describe, expect, it } from 'vitest'
import { encodeFrame } from '../../src/frame/frame.js'
import { encodeRecord } from '../../src/record/records.js'
import { asAsync, change, commit, recorder } from '../support.js'

interface Todo {
  title: string
  done: boolean
}
type State = { todos: Record<string, Todo>; tags: Map<string, Set<string>>; since?: Date }

const initial: State = { todos: {}, tags: new Map() }
const thrown = (body: () => unknown): JournalError => {
  try {
    body()
  } catch (error) {
    return error as JournalError
  }
  throw new Error('did not throw')
}

describe('openJournal', () => {
  it('materializes what was committed, Map, Set, Date and undefined included', () => {
    const storage = memoryStorage()
    const journal = openJournal(storage, { name: 'app', initial })
    expect(journal.root).toEqual(initial)
    expect(storage.generations('app')).toEqual([]) // opening never writes
    let state = initial
    state = commit(journal, state, (d) => {
      d.todos.a = { title: 'milk', done: false }
      d.since = new Date(86_400_000)
    })
    state = commit(journal, state, (d) => {
      d.tags.set('home', new Set(['a']))
      d.todos.a!.done = true
    })
    state = commit(journal, state, (d) => {
      d.tags.get('home')!.add('b')
      d.since = undefined
    })
    expect(journal.stats()).toMatchObject({ seq: 3, generation: 0, damage: [] })
    const reopened = openJournal(storage, { name: 'app', initial })
    expect(reopened.root).toEqual(state)
    expect(Object.hasOwn(reopened.root as State, 'since')).toBe(true)
    expect(reopened.stats().seq).toBe(3)
  })

  it('appends O(change) bytes: one field in 10 or 10,000 entities costs the same', () => {
    const appended = (count: number) => {
      const storage = memoryStorage()
      const entities = Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`id${i}`, { title: `t${i}`, done: false }]),
      )
      const journal = openJournal(storage, { name: 'app', initial: { entities } })
      commit(journal, { entities }, (d) => {
        d.entities.id0!.done = true
      }) // creates the generation with its checkpoint
      const before = storage.bytes('app', 0).length
      commit(journal, { entities }, (d) => {
        d.entities.id7!.title = 'changed'
      })
      return storage.bytes('app', 0).length - before
    }
    expect(appended(10_000)).toBe(appended(10))
    expect(appended(10)).toBeLessThan(140)
  })

  it('compacts into a new generation that opening reads alone', () => {
    const storage = memoryStorage()
    const { events, onEvent } = recorder()
    const journal = openJournal(storage, { name: 'app', initial: { n: 0 }, onEvent })
    let state = { n: 0 }
    for (let i = 0; i < 20; i++)
      state = commit(journal, state, (d) => {
        d.n += 1
      })
    const before = storage.bytes('app', 0).length
    journal.compact()
    expect(storage.generations('app')).toEqual([1])
    expect(storage.bytes('app', 1).length).toBeLessThan(before / 5)
    expect(events.at(-1)).toEqual({
      type: 'compacted',
      generation: 1,
      seq: 20,
      bytes: storage.bytes('app', 1).length,
    })
    state = commit(journal, state, (d) => {
      d.n += 1
    })
    const reopened = openJournal(storage, { name: 'app' })
    expect(reopened.root).toEqual({ n: 21 })
    const checkpointBytes =
      storage.bytes('app', 1).length - (reopened.stats().bytes - journal.stats().checkpointBytes)
    expect(reopened.stats()).toMatchObject({ generation: 1, checkpointSeq: 20, seq: 21, checkpointBytes })
    expect(journal.stats().checkpointBytes).toBe(checkpointBytes)
  })

  it('counts the bytes of the checkpoint the log starts with', () => {
    const storage = memoryStorage()
    const journal = openJournal(storage, { name: 'app', initial: { n: 0 } })
    expect(journal.stats().checkpointBytes).toBe(0) // nothing stored yet
    journal.commit([])
    const created = storage.bytes('app', 0).length
    journal.commit([{ op: 'replace', path: ['n'], value: 1 }])
    const stats = journal.stats()
    // Header and checkpoint, then an empty commit: its record is the rest of the first append.
    expect(stats.checkpointBytes).toBeGreaterThan(0)
    expect(stats.checkpointBytes).toBeLessThan(created)
    expect(openJournal(storage, { name: 'app' }).stats().checkpointBytes).toBe(stats.checkpointBytes)
    expect(stats.bytes).toBe(storage.bytes('app', 0).length)
  })

  it('replaces the state and its version through compaction (a migration)', () => {
    const storage = memoryStorage()
    const journal = openJournal(storage, { name: 'app', initial: { n: 1 }, version: 1 })
    commit(journal, { n: 1 }, (d) => {
      d.n = 2
    })
    journal.compact({ root: { count: 2 }, version: 2 })
    const reopened = openJournal(storage, { name: 'app', version: 1 })
    expect(reopened.root).toEqual({ count: 2 })
    expect(reopened.version).toBe(2)
    expect(reopened.stats().seq).toBe(2)
  })

  it('fails fast on a record kind it does not know', () => {
    const storage = memoryStorage()
    const journal = openJournal(storage, { name: 'app' })
    journal.commit([{ op: 'add', path: ['a'], value: 1 }])
    const size = storage.bytes('app', 0).length
    storage.append('app', 0, size, encodeFrame(0x7f, new TextEncoder().encode('{}')))
    const error = thrown(() => openJournal(storage, { name: 'app' }))
    expect(error.code).toBe('JOURNAL_UNKNOWN_KIND')
    expect(error.message).toBe(
      `journal 'app' generation 0: record at offset ${size} has kind 0x7f, which this version cannot decode (known: header, checkpoint, patch, commit); it was probably written by a newer @atoma/journal`,
    )
    expect(error).toMatchObject({ journal: 'app', generation: 0, offset: size, actual: '0x7f' })
  })

  it('fails with the expected and the actual kind when a record is out of place', () => {
    const storage = memoryStorage()
    const journal = openJournal(storage, { name: 'app' })
    journal.commit([{ op: 'add', path: ['a'], value: 1 }])
    const size = storage.bytes('app', 0).length
    storage.append('app', 0, size, encodeRecord('header', { name: 'app', generation: 0, version: 0 }, 'app'))
    const error = thrown(() => openJournal(storage, { name: 'app' }))
    expect(error.code).toBe('JOURNAL_KIND_MISMATCH')
    expect(error.message).toBe(
      `journal 'app' generation 0: expected a patch or commit record at offset ${size}, found a header record`,
    )
    expect(error).toMatchObject({ expected: 'patch or commit', actual: 'header', offset: size })

    const headless = memoryStorage()
    headless.put('app', 0, encodeRecord('checkpoint', { seq: 0, root: {} }, 'app'))
    const first = thrown(() => openJournal(headless, { name: 'app' }))
    expect(first.code).toBe('JOURNAL_KIND_MISMATCH')
    expect(first.message).toBe(
      `journal 'app' generation 0: expected a header record at offset 0, found a checkpoint record`,
    )
  })

  it('rejects a record with a good checksum that does not decode', () => {
    const storage = memoryStorage()
    openJournal(storage, { name: 'app' }).commit([])
    const size = storage.bytes('app', 0).length
    storage.append(
      'app',
      0,
      size,
      encodeFrame(0x03, new TextEncoder().encode('{"patches":[{"op":"add","path":["__proto__"]}]}')),
    )
    const error = thrown(() => openJournal(storage, { name: 'app' }))
    expect(error.code).toBe('JOURNAL_INVALID_RECORD')
    expect(error.message).toContain(
      `patch record at offset ${size} holds a malformed patch: the segment '__proto__'`,
    )
  })

  it('refuses a value it cannot store, and writes nothing', () => {
    const storage = memoryStorage()
    const journal = openJournal(storage, { name: 'app' })
    const error = thrown(() => journal.commit([{ op: 'add', path: ['f'], value: { run: () => 1 } }]))
    expect(error.code).toBe('JOURNAL_UNSUPPORTED_VALUE')
    expect(error.message).toBe("journal 'app': patch record: cannot store a function at patches[0].value.run")
    expect(storage.changes).toBe(0)
    expect(thrown(() => journal.commit([{ op: 'move', path: [] } as never])).code).toBe(
      'JOURNAL_INVALID_ARGUMENT',
    )
    expect(thrown(() => openJournal(storage, { name: '../etc' })).code).toBe('JOURNAL_INVALID_ARGUMENT')
  })

  it('catches up with a second writer: its commits arrive as external events, none is lost', () => {
    const storage = memoryStorage()
    const a = recorder()
    const b = recorder()
    const first = openJournal(storage, { name: 'app', initial: { list: [] as string[] }, onEvent: a.onEvent })
    const second = openJournal(storage, {
      name: 'app',
      initial: { list: [] as string[] },
      onEvent: b.onEvent,
    })
    first.commit([{ op: 'add', path: ['list', 0], value: 'from a' }])
    // The second one's append finds the log grown: it reads the first's commit, then appends.
    expect(second.commit([{ op: 'add', path: ['list', 1], value: 'from b' }])).toBe(2)
    expect(b.events).toEqual([
      { type: 'external', root: { list: ['from a'] }, commits: [] }, // it had nothing stored yet
    ])
    first.refresh()
    expect(a.events).toEqual([
      {
        type: 'external',
        commits: [{ seq: 2, patches: [{ op: 'add', path: ['list', 1], value: 'from b' }] }],
      },
    ])
    expect(openJournal(storage, { name: 'app' }).root).toEqual({ list: ['from a', 'from b'] })
  })

  it('writes after another writer cut the log it had read (its recover), instead of looping', () => {
    const storage = memoryStorage()
    const first = openJournal(storage, { name: 'app', initial: { n: 0 } })
    first.commit([{ op: 'replace', path: ['n'], value: 1 }])
    const cut = storage.bytes('app', 0).length
    first.commit([{ op: 'replace', path: ['n'], value: 2 }])
    // What a second writer's recover() leaves when it judged the last commit damaged.
    storage.put('app', 0, storage.bytes('app', 0).subarray(0, cut))
    expect(first.commit([{ op: 'replace', path: ['n'], value: 3 }])).toBe(2)
    expect(openJournal(storage, { name: 'app' }).root).toEqual({ n: 3 })
  })

  it('a listener that throws on external refuses the commit: nothing of it is written', async () => {
    const storage = memoryStorage()
    const first = openJournal(storage, { name: 'app', initial: { n: 0 } })
    let refuse = true
    const second = openJournal(storage, {
      name: 'app',
      initial: { n: 0 },
      onEvent: (event) => {
        if (event.type === 'external' && refuse) throw new Error('does not apply here')
      },
    })
    first.commit([{ op: 'replace', path: ['n'], value: 1 }])
    const size = storage.bytes('app', 0).length
    expect(thrown(() => second.commit([{ op: 'replace', path: ['n'], value: 2 }])).message).toBe(
      'does not apply here',
    )
    expect(storage.bytes('app', 0).length).toBe(size)
    // It has read the other's commit all the same: its next commit follows it.
    refuse = false
    expect(second.commit([{ op: 'replace', path: ['n'], value: 3 }])).toBe(2)
    expect(openJournal(storage, { name: 'app' }).root).toEqual({ n: 3 })

    // The same on an asynchronous storage: the commit rejects.
    const memory = memoryStorage()
    const a = await openJournal(asAsync(memory), { name: 'app', initial: { n: 0 } })
    const b = await openJournal(asAsync(memory), {
      name: 'app',
      initial: { n: 0 },
      onEvent: (event) => {
        if (event.type === 'external') throw new Error('refused')
      },
    })
    await a.commit([{ op: 'replace', path: ['n'], value: 1 }])
    await expect(b.commit([{ op: 'replace', path: ['n'], value: 2 }])).rejects.toThrow('refused')
    expect((await openJournal(asAsync(memory), { name: 'app' })).root).toEqual({ n: 1 })
  })

  it("follows another writer's compaction with the whole state", () => {
    const storage = memoryStorage()
    const a = recorder()
    const first = openJournal(storage, { name: 'app', initial: { n: 0 }, onEvent: a.onEvent })
    first.commit([{ op: 'replace', path: ['n'], value: 1 }])
    const second = openJournal(storage, { name: 'app' })
    second.commit([{ op: 'replace', path: ['n'], value: 2 }])
    second.compact()
    expect(first.commit([{ op: 'replace', path: ['n'], value: 3 }])).toBe(3)
    expect(a.events).toEqual([{ type: 'external', root: { n: 2 }, commits: [] }])
    expect(storage.generations('app')).toEqual([1])
    expect(openJournal(storage, { name: 'app' }).root).toEqual({ n: 3 })
  })

  it('on an asynchronous storage, writes concurrent commits as one append and keeps their order', async () => {
    const memory = memoryStorage()
    const journal = await openJournal(asAsync(memory), { name: 'app', initial: { n: 0 } })
    let state = { n: 0 }
    const pending: Promise<number>[] = []
    for (let i = 0; i < 5; i++) {
      const [next, patches] = change(state, (d) => {
        d.n += 1
      })
      state = next
      pending.push(journal.commit(patches))
    }
    expect(await Promise.all(pending)).toEqual([1, 2, 3, 4, 5])
    expect(memory.changes).toBe(1)
    await journal.compact()
    await journal.close()
    await expect(journal.commit([])).rejects.toMatchObject({ code: 'JOURNAL_CLOSED' })
    expect((await openJournal(asAsync(memory), { name: 'app' })).root).toEqual({ n: 5 })
  })

  it('reports a throwing listener without aborting the write', async () => {
    const storage = memoryStorage()
    const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve))
    const journal = openJournal(storage, {
      name: 'app',
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    journal.commit([])
    journal.compact()
    expect(openJournal(storage, { name: 'app' }).stats().generation).toBe(1)
    expect(await uncaught).toMatchObject({ message: 'listener bug' })
  })
})
