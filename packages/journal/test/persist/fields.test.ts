import type { Patch } from '@atoma/journal'
import { Immer } from 'immer'
import { describe, expect, it } from 'vitest'
import { asAppends, Fields } from '../../src/persist/fields.js'
import { change } from '../support.js'

describe('Fields', () => {
  it('keeps the patches of the fields partialize names, and their inverses', () => {
    const fields = new Fields(['theme'])
    const [, patches, inverse] = changeWithInverse({ theme: 'light', draft: '' }, (d) => {
      d.theme = 'dark'
      d.draft = 'x'
    })
    expect(fields.project(patches, inverse)).toEqual({
      patches: [{ op: 'replace', path: ['theme'], value: 'dark' }],
      inverse: [{ op: 'replace', path: ['theme'], value: 'light' }],
    })
  })

  it('turns a whole new state into one patch per field that changed, by identity', () => {
    const list = ['a']
    const previous = { list, n: 1, gone: true }
    const next = { list, n: 2, added: 'x' }
    const projected = new Fields(undefined).project(
      [{ op: 'replace', path: [], value: next }],
      [{ op: 'replace', path: [], value: previous }],
    )
    expect(projected).toEqual({
      patches: [
        { op: 'replace', path: ['n'], value: 2 },
        { op: 'remove', path: ['gone'] },
        { op: 'add', path: ['added'], value: 'x' },
      ],
      inverse: [
        { op: 'replace', path: ['n'], value: 1 },
        { op: 'add', path: ['gone'], value: true },
        { op: 'remove', path: ['added'] },
      ],
    })
    // Partialized: only the named fields are looked at.
    expect(
      new Fields(['list']).project(
        [{ op: 'replace', path: [], value: next }],
        [{ op: 'replace', path: [], value: previous }],
      ),
    ).toEqual({ patches: [], inverse: [] })
    // A state that is not an object of fields is written whole, or refused when partialized.
    expect(
      new Fields(undefined).project(
        [{ op: 'replace', path: [], value: 3 }],
        [{ op: 'replace', path: [], value: 2 }],
      ),
    ).toEqual({
      patches: [{ op: 'replace', path: [], value: 3 }],
      inverse: [{ op: 'replace', path: [], value: 2 }],
    })
    expect(() => new Fields(['a']).project([{ op: 'replace', path: [], value: 3 }], [])).toThrow(
      /object of fields/,
    )
  })

  it('merges the persisted fields over the state, and names the fields the journal lacks', () => {
    const fields = new Fields(['theme', 'size'])
    expect(fields.merge({ theme: 'light', size: 1, draft: 'd' }, { theme: 'dark', draft: 'stale' })).toEqual({
      theme: 'dark',
      size: 1,
      draft: 'd',
    })
    expect(fields.missing({ theme: 'dark', size: 1, draft: 'd' }, { theme: 'dark' })).toEqual({
      patches: [{ op: 'add', path: ['size'], value: 1 }],
      inverse: [{ op: 'remove', path: ['size'] }],
    })
    expect(fields.pick({ theme: 'dark', draft: 'd' })).toEqual({ theme: 'dark' })
    expect(fields.accepts({ op: 'replace', path: ['draft'] })).toBe(false)
    expect(fields.accepts({ op: 'replace', path: [] })).toBe(false)
    expect(new Fields(undefined).accepts({ op: 'replace', path: [] })).toBe(true)
  })
})

describe('asAppends', () => {
  it('turns what immer reports for pushed items into appends, and nothing else', () => {
    const state = { list: ['a'], byNumber: new Map<number, string[]>([[1, []]]) }
    const [next, patches] = change(state, (d) => {
      d.list.push('b', 'c')
      d.list[0] = 'A'
      d.byNumber.set(2, ['x'])
      d.byNumber.get(1)!.push('y')
    })
    const appends = asAppends(next, patches)
    expect(appends).toHaveLength(5)
    expect(appends).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: ['list', 0], value: 'A' },
        { op: 'add', path: ['byNumber', 2], value: ['x'] }, // a Map's numeric key stays a key
        { op: 'add', path: ['byNumber', 1, '-'], value: 'y' },
      ]),
    )
    expect(appends.filter((p) => p.path[0] === 'list' && p.op === 'add')).toEqual([
      { op: 'add', path: ['list', '-'], value: 'b' },
      { op: 'add', path: ['list', '-'], value: 'c' },
    ])
    const untouched = [{ op: 'replace' as const, path: ['list', 0], value: 'z' }]
    expect(asAppends(next, untouched)).toBe(untouched)
  })
})

function changeWithInverse<S extends object>(state: S, recipe: (draft: S) => void) {
  const [next, patches, inverse] = new Immer({ autoFreeze: false }).produceWithPatches(state, recipe as never)
  return [next, patches as Patch[], inverse as Patch[]] as const
}
