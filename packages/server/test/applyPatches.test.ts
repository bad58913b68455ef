import type { Patch } from '@atoma/runtime/protocol'
import { describe, expect, it } from 'vitest'
import { applyPatches, PatchDoesNotApply } from '../src/writes/applyPatches.js'

const apply = (item: Record<string, unknown>, patches: Patch[]) =>
  applyPatches(structuredClone(item), patches)

describe('applyPatches', () => {
  it('adds, replaces and removes object properties', () => {
    expect(
      apply({ a: 1, b: { c: 2 } }, [
        { op: 'replace', path: ['a'], value: 10 },
        { op: 'add', path: ['b', 'd'], value: [1] },
        { op: 'remove', path: ['b', 'c'] },
      ]),
    ).toEqual({ a: 10, b: { d: [1] } })
  })

  it('inserts, replaces and removes array elements as immer does', () => {
    const item = { list: ['a', 'b', 'c'] }
    expect(apply(item, [{ op: 'add', path: ['list', 1], value: 'x' }])).toEqual({
      list: ['a', 'x', 'b', 'c'],
    })
    expect(apply(item, [{ op: 'add', path: ['list', 3], value: 'd' }])).toEqual({
      list: ['a', 'b', 'c', 'd'],
    })
    expect(apply(item, [{ op: 'add', path: ['list', '-'], value: 'd' }])).toEqual({
      list: ['a', 'b', 'c', 'd'],
    })
    expect(apply(item, [{ op: 'replace', path: ['list', '0'], value: 'z' }])).toEqual({
      list: ['z', 'b', 'c'],
    })
    expect(apply(item, [{ op: 'remove', path: ['list', 1] }])).toEqual({ list: ['a', 'c'] })
    expect(apply(item, [{ op: 'replace', path: ['list', 'length'], value: 1 }])).toEqual({ list: ['a'] })
  })

  it('treats a value dropped by JSON (undefined) as removal in objects and null in arrays', () => {
    expect(apply({ a: 1, b: 2 }, [{ op: 'replace', path: ['a'] }])).toEqual({ b: 2 })
    expect(apply({ list: [1, 2] }, [{ op: 'replace', path: ['list', 0] }])).toEqual({ list: [null, 2] })
  })

  it('replaces the whole item with an empty path', () => {
    expect(apply({ a: 1 }, [{ op: 'replace', path: [], value: { b: 2 } }])).toEqual({ b: 2 })
  })

  it('does not share the patch value with the result', () => {
    const value = { deep: { x: 1 } }
    const result = apply({}, [{ op: 'add', path: ['v'], value }]) as { v: { deep: { x: number } } }
    result.v.deep.x = 2
    expect(value.deep.x).toBe(1)
  })

  it.each<[string, Record<string, unknown>, Patch]>([
    ['a missing parent', { a: 1 }, { op: 'replace', path: ['b', 'c'], value: 1 }],
    ['a scalar parent', { a: 1 }, { op: 'replace', path: ['a', 'c'], value: 1 }],
    ['an index past the end', { list: [1] }, { op: 'replace', path: ['list', 1], value: 1 }],
    ['an insert past the end', { list: [1] }, { op: 'add', path: ['list', 5], value: 1 }],
    ['a removal past the end', { list: [] }, { op: 'remove', path: ['list', 0] }],
    ['a non-numeric index', { list: [1] }, { op: 'replace', path: ['list', 'x'], value: 1 }],
    ['an inherited property', { a: {} }, { op: 'replace', path: ['a', 'toString', 'x'], value: 1 }],
    ['growing length', { list: [1] }, { op: 'replace', path: ['list', 'length'], value: 3 }],
    ['adding at the root', { a: 1 }, { op: 'add', path: [], value: {} }],
  ])('refuses %s with a PatchDoesNotApply', (_, item, patch) => {
    expect(() => apply(item, [patch])).toThrow(PatchDoesNotApply)
  })
})
