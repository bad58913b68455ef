import { type JournalEvent, openJournal } from '@atoma/journal'
import { type MemoryStorage, memoryStorage, SimulatedCrash } from '@atoma/journal/memory'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Frame, readFrame } from '../../src/frame/frame.js'
import { change, commit, recorder, runs } from '../support.js'

/**
 * The acceptance tests of issue 17: whatever a crash or a flipped bit leaves behind, opening
 * gives exactly a committed state — the last one before the damage — says so in a diagnostic,
 * throws nothing, and `recover()` cuts the log back to it.
 */
type State = { list: number[]; fields: Record<string, number | string> }
const initial: State = { list: [], fields: {} }

/** A journal of `count` commits; `ends[i]` is where commit i ends (0: the checkpoint), `states[i]` its state. */
function history(count: number) {
  const storage = memoryStorage()
  const journal = openJournal(storage, { name: 'app', initial })
  let state = initial
  const states = [state]
  const ends: number[] = []
  for (let i = 1; i <= count; i++) {
    state = commit(journal, state, (d) => {
      d.list.push(i)
      d.fields[`f${i % 3}`] = i % 2 ? i : `s${i}`
    })
    states.push(state)
    if (i === 1) ends.push(checkpointEnd(storage.bytes('app', 0)))
    ends.push(storage.bytes('app', 0).length)
  }
  return { storage, states, ends, bytes: storage.bytes('app', 0) }
}

/** Where the header and checkpoint a journal's first write starts with end. */
function checkpointEnd(bytes: Uint8Array): number {
  const header = readFrame(bytes, 0) as Frame
  return (readFrame(bytes, header.end) as Frame).end
}

function reopen(storage: MemoryStorage) {
  const { events, onEvent } = recorder()
  const journal = openJournal(storage, { name: 'app', initial, onEvent })
  const damage = events.filter((e): e is Extract<JournalEvent, { type: 'damaged' }> => e.type === 'damaged')
  return { journal, damage: damage.map((e) => e.diagnostic) }
}

describe('crash consistency', () => {
  it('cut at every byte of the last write: the last committed state, a diagnostic, recover() truncates', () => {
    const { states, ends, bytes } = history(6)
    const from = ends[5]!
    const to = ends[6]!
    for (let cut = from; cut < to; cut++) {
      const storage = memoryStorage()
      storage.put('app', 0, bytes.subarray(0, cut))
      const { journal, damage } = reopen(storage)
      expect(journal.root).toEqual(states[5])
      expect(journal.stats().seq).toBe(5)
      if (cut === from) {
        expect(damage).toEqual([])
        continue
      }
      expect(damage).toEqual([
        expect.objectContaining({ reason: 'torn', keep: from, size: cut, generation: 0 }),
      ])
      expect(() => journal.commit([])).toThrow(expect.objectContaining({ code: 'JOURNAL_DAMAGED' }))
      expect(journal.recover()).toEqual({ discarded: cut - from, repaired: damage })
      expect(storage.bytes('app', 0).length).toBe(from)
      const next = commit(journal, states[5]!, (d) => void d.list.push(99))
      const again = reopen(storage)
      expect(again.damage).toEqual([])
      expect(again.journal.root).toEqual(next)
    }
  })

  it('a crash at every byte of a write, through the storage: the same', () => {
    const { states, ends, bytes } = history(3)
    for (let keep = 0; keep <= ends[3]! - ends[2]!; keep++) {
      const storage = memoryStorage()
      storage.put('app', 0, bytes.subarray(0, ends[2]))
      const journal = openJournal(storage, { name: 'app', initial })
      const [, patches] = change(states[2]!, (d) => {
        d.list.push(3)
        d.fields.f0 = 3
      })
      storage.crash({ after: 0, keep })
      const complete = keep === ends[3]! - ends[2]!
      if (complete) journal.commit(patches)
      else
        expect(() => journal.commit(patches)).toThrow(
          expect.objectContaining({ code: 'JOURNAL_STORAGE', cause: expect.any(SimulatedCrash) }),
        )
      storage.restart()
      const { journal: reopened, damage } = reopen(storage)
      expect(reopened.root).toEqual(complete ? states[3] : states[2])
      expect(damage.length).toBe(keep === 0 || complete ? 0 : 1)
      reopened.recover()
      expect(storage.bytes('app', 0).length).toBe(complete ? ends[3] : ends[2])
    }
  })

  it('a crash while the journal is first created leaves the initial state, and recover() removes the remains', () => {
    const { bytes, ends } = history(1)
    for (let cut = 1; cut < ends[1]!; cut++) {
      const storage = memoryStorage()
      storage.put('app', 0, bytes.subarray(0, cut))
      const { journal, damage } = reopen(storage)
      expect(journal.root).toEqual(initial)
      if (cut === ends[0])
        expect(damage).toEqual([]) // header and checkpoint whole: a journal with no commit
      else
        expect(damage).toEqual([
          expect.objectContaining({ generation: 0, keep: cut < ends[0]! ? 0 : ends[0] }),
        ])
      journal.recover()
      expect(storage.generations('app')).toEqual(cut < ends[0]! ? [] : [0])
      journal.commit([{ op: 'add', path: ['list', 0], value: 7 }])
      expect(reopen(storage).journal.root).toEqual({ ...initial, list: [7] })
    }
  })

  it('every flipped bit is caught by the checksum: never a wrong state', () => {
    const flips = fc.array(fc.record({ at: fc.nat(), bit: fc.nat(7) }), { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), flips, (count, flipped) => {
        const { states, ends, bytes } = history(count)
        const corrupt = bytes.slice()
        const offsets = flipped.map(({ at, bit }) => {
          const offset = at % corrupt.length
          corrupt[offset]! ^= 1 << bit
          return offset
        })
        if (offsets.every((offset) => corrupt[offset] === bytes[offset])) return // two flips undid each other
        const first = Math.min(...offsets.filter((offset) => corrupt[offset] !== bytes[offset]))
        const storage = memoryStorage()
        storage.put('app', 0, corrupt)
        const { journal, damage } = reopen(storage)
        // The last commit that ends before the first changed byte survives, nothing after it.
        let kept = 0
        while (kept + 1 < ends.length && ends[kept + 1]! <= first) kept++
        expect(journal.root).toEqual(first < ends[0]! ? initial : states[kept])
        expect(damage.length).toBe(1)
        expect(damage[0]!.reason === 'torn' || damage[0]!.reason === 'checksum').toBe(true)
        journal.recover()
        const after = reopen(storage)
        expect(after.damage).toEqual([])
        expect(after.journal.root).toEqual(journal.root)
      }),
      runs(300),
    )
  })
})

describe('compaction crashes', () => {
  /** Replays compaction with a crash at change `after`, cut at `keep` bytes; returns what opening gives. */
  function crashCompaction(after: number, keep: number, replacement?: { root: State; version: number }) {
    const { storage, states } = history(8)
    const journal = openJournal(storage, { name: 'app', initial })
    storage.crash({ after, keep })
    let crashed = false
    try {
      journal.compact(replacement)
    } catch (error) {
      expect(error).toMatchObject({ code: 'JOURNAL_STORAGE', cause: expect.any(SimulatedCrash) })
      crashed = true
    }
    storage.restart()
    const opened = reopen(storage)
    opened.journal.recover()
    const recovered = reopen(storage)
    expect(recovered.damage).toEqual([])
    expect(recovered.journal.root).toEqual(opened.journal.root)
    // And it goes on: a commit lands and is there on the next opening.
    const next = commit(recovered.journal, recovered.journal.root as State, (d) => void d.list.push(100))
    expect(reopen(storage).journal.root).toEqual(next)
    return { crashed, root: opened.journal.root, old: states[8] }
  }

  it('a crash at every step and every byte of compaction leaves the old or the new journal, never neither', () => {
    const { storage } = history(8)
    const size = memoryStorage()
    size.put('app', 0, storage.bytes('app', 0))
    openJournal(size, { name: 'app' }).compact()
    const generationBytes = size.bytes('app', 1).length
    expect(size.changes).toBe(2) // one append creates the new generation, one removal drops the old
    let crashes = 0
    for (let keep = 0; keep <= generationBytes; keep++) {
      const { crashed, root, old } = crashCompaction(0, keep)
      expect(root).toEqual(old)
      if (crashed) crashes++
    }
    for (const keep of [0, 1]) {
      const { crashed, root, old } = crashCompaction(1, keep)
      expect(crashed).toBe(true)
      expect(root).toEqual(old)
    }
    // Even the whole append crashes: the process dies before it removes the old generation.
    expect(crashes).toBe(generationBytes + 1)
  })

  it('a crash during a replacing compaction gives the old state or the replacement, whole', () => {
    const replacement = { root: { list: [42], fields: { migrated: 'yes' } }, version: 2 }
    let seenOld = false
    let seenNew = false
    for (let keep = 0; keep <= 200; keep += 7) {
      for (const after of [0, 1]) {
        const { root, old } = crashCompaction(after, keep, replacement)
        if (JSON.stringify(root) === JSON.stringify(old)) seenOld = true
        else {
          expect(root).toEqual(replacement.root)
          seenNew = true
        }
      }
    }
    expect(seenOld && seenNew).toBe(true)
  })
})
