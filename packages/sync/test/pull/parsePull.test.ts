import { describe, expect, it } from 'vitest'
import { parsePull } from '../../src/pull/parsePull.js'

const stores = new Set(['tasks'])

describe('parsePull: a pull answer is checked whole before anything lands', () => {
  it('accepts changes and tombstones', () => {
    const answer = {
      cursor: 'c',
      more: true,
      through: { tasks: 4 },
      changes: [
        { store: 'tasks', id: 'a', version: 3, value: { id: 'a' } },
        { store: 'tasks', id: 2, version: 4, deleted: true },
      ],
    }
    expect(parsePull(answer, stores)).toEqual(answer)
  })

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'nope', /not an object/],
    ['no cursor', { changes: [] }, /cursor/],
    ['changes not a list', { cursor: 'c', changes: {} }, /not a list/],
    [
      'a store not asked for',
      { cursor: 'c', changes: [{ store: 'secrets', id: 'a', version: 1, value: {} }] },
      /not asked for/,
    ],
    ['no version', { cursor: 'c', changes: [{ store: 'tasks', id: 'a', value: {} }] }, /version/],
    [
      'a value that is a number',
      { cursor: 'c', changes: [{ store: 'tasks', id: 'a', version: 1, value: 5 }] },
      /object value/,
    ],
    [
      'a tombstone with a value',
      { cursor: 'c', changes: [{ store: 'tasks', id: 'a', version: 1, deleted: true, value: {} }] },
      /deleted with a value/,
    ],
    [
      'an own __proto__ key',
      JSON.parse(
        '{"cursor":"c","changes":[{"store":"tasks","id":"a","version":1,"value":{"id":"a","__proto__":{}}}]}',
      ),
      /__proto__/,
    ],
    ['through not an object', { cursor: 'c', changes: [], through: [1] }, /through is not an object/],
    [
      'through of a store not asked for',
      { cursor: 'c', changes: [], through: { secrets: 1 } },
      /not asked for/,
    ],
    ['through that is no version', { cursor: 'c', changes: [], through: { tasks: -1 } }, /no version/],
  ])('refuses %s as TRANSPORT', (_what, raw, message) => {
    expect(() => parsePull(raw, stores)).toThrowError(expect.objectContaining({ code: 'TRANSPORT' }))
    expect(() => parsePull(raw, stores)).toThrowError(message)
  })
})
