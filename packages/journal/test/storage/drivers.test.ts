import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openJournal } from '@atoma/journal'
import { fsStorage } from '@atoma/journal/fs'
import { indexedDbStorage } from '@atoma/journal/indexeddb'
import { memoryStorage } from '@atoma/journal/memory'
import { webStorage } from '@atoma/journal/web-storage'
// Installs IDBKeyRange and friends as globals, as a browser has them; each test uses its own factory.
import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { asAsync, runs } from '../support.js'
import { storageContract } from './contract.js'

/** The Web Storage interface over a Map: what localStorage is, minus the browser. */
class MapStorage implements Storage {
  private readonly items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  clear() {
    this.items.clear()
  }
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value))
  }
}

describe('memory storage', () => storageContract(() => memoryStorage()))
describe('memory storage, driven asynchronously', () => storageContract(() => asAsync(memoryStorage())))

describe('fs storage', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })
  const make = () => {
    const dir = mkdtempSync(join(tmpdir(), 'atoma-journal-'))
    dirs.push(dir)
    return fsStorage({ dir })
  }
  storageContract(make)

  it('is a file per generation, and compaction leaves only the new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atoma-journal-'))
    dirs.push(dir)
    const journal = openJournal(fsStorage({ dir }), { name: 'app' })
    journal.commit([{ op: 'add', path: ['a'], value: 1 }])
    expect(readdirSync(dir)).toEqual(['app.0.journal'])
    journal.compact()
    expect(readdirSync(dir)).toEqual(['app.1.journal'])
    expect(openJournal(fsStorage({ dir }), { name: 'app' }).root).toEqual({ a: 1 })
  })
})

describe('web storage (localStorage)', () => {
  storageContract(() => webStorage({ storage: new MapStorage() }))

  it('stores one key per append, with a byte per code unit', () => {
    const storage = new MapStorage()
    const journal = openJournal(webStorage({ storage, prefix: 'p:' }), { name: 'ui' })
    journal.commit([{ op: 'add', path: ['theme'], value: 'dark' }])
    journal.commit([{ op: 'replace', path: ['theme'], value: 'light' }])
    const keys = [...Array(storage.length).keys()].map((i) => storage.key(i))
    expect(keys).toEqual(['p:ui.0.0', expect.stringMatching(/^p:ui\.0\.\d+$/)])
    expect(storage.getItem('p:ui.0.0')).toContain('"theme"')
  })

  it('keeps its index of keys true while another tab appends, cuts and removes (property)', () => {
    // Two drivers on one Storage are two tabs; a fresh driver, which lists every key, is the truth.
    type Step =
      | { tab: number; op: 'append'; generation: number; off: number; length: number }
      | { tab: number; op: 'truncate'; generation: number; cut: number }
      | { tab: number; op: 'remove'; generation: number }
      | { tab: number; op: 'read'; generation: number; from: number }
    const generation = fc.integer({ min: 0, max: 2 })
    const tab = fc.integer({ min: 0, max: 1 })
    const step: fc.Arbitrary<Step> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          tab,
          op: fc.constant('append' as const),
          generation,
          off: fc.integer({ min: -1, max: 1 }),
          length: fc.integer({ min: 1, max: 5 }),
        }),
      },
      fc.record({
        tab,
        op: fc.constant('truncate' as const),
        generation,
        cut: fc.integer({ min: 0, max: 6 }),
      }),
      fc.record({ tab, op: fc.constant('remove' as const), generation }),
      {
        weight: 2,
        arbitrary: fc.record({
          tab,
          op: fc.constant('read' as const),
          generation,
          from: fc.integer({ min: 0, max: 12 }),
        }),
      },
    )
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60 }), (steps) => {
        const storage = new MapStorage()
        const tabs = [webStorage({ storage }), webStorage({ storage })]
        const truth = () => webStorage({ storage })
        let fill = 0
        for (const s of steps) {
          const driver = tabs[s.tab]!
          const size = truth().read('j', s.generation, 0).length
          if (s.op === 'append') {
            const at = Math.max(0, size + s.off)
            const bytes = new Uint8Array(s.length).fill(++fill % 250)
            expect(driver.append('j', s.generation, at, bytes)).toBe(at === size)
          } else if (s.op === 'truncate') driver.truncate('j', s.generation, Math.max(0, size - s.cut))
          else if (s.op === 'remove') driver.remove('j', s.generation)
          else expect(driver.read('j', s.generation, s.from)).toEqual(truth().read('j', s.generation, s.from))
          for (const other of tabs) expect(other.generations('j')).toEqual(truth().generations('j'))
        }
      }),
      runs(200),
    )
  })
})

describe('IndexedDB storage (fake-indexeddb)', () => {
  storageContract(() => indexedDbStorage({ indexedDB: new IDBFactory(), database: 'test' }))

  it('two connections append to one journal without losing a commit', async () => {
    const factory = new IDBFactory()
    const first = await openJournal(indexedDbStorage({ indexedDB: factory }), {
      name: 'app',
      initial: { log: [] },
    })
    const second = await openJournal(indexedDbStorage({ indexedDB: factory }), {
      name: 'app',
      initial: { log: [] },
    })
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? first : second).commit([{ op: 'add', path: ['log', '-'], value: i }]),
      ),
    )
    const root = (await openJournal(indexedDbStorage({ indexedDB: factory }), { name: 'app' })).root as {
      log: number[]
    }
    expect(root.log.toSorted((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})
