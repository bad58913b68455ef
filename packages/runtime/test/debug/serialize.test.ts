import { describe, expect, it } from 'vitest'
import { decodeKey, type JsonValue, safeStringify, toSerializable } from '../../src/debug/serialize.js'
import { AtomaError } from '../../src/errors.js'

/** A stand-in for the runtime's EntityMap: not a Map, but reads like one. */
class ReadonlyEntities<V> {
  readonly #items: Map<string, V>
  constructor(entries: [string, V][]) {
    this.#items = new Map(entries)
  }
  get size(): number {
    return this.#items.size
  }
  entries(): IterableIterator<[string, V]> {
    return this.#items.entries()
  }
  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.#items.entries()
  }
}

/** A naive deep merge of the kind that prototype-pollution attacks target. */
function naiveMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(source)) {
    const value = source[key]
    if (typeof value === 'object' && value !== null) {
      if (typeof target[key] !== 'object' && typeof target[key] !== 'function') target[key] = {}
      naiveMerge(target[key] as Record<string, unknown>, value as Record<string, unknown>)
    } else {
      target[key] = value
    }
  }
}

describe('toSerializable', () => {
  it('passes JSON values through unchanged', () => {
    const value = { a: 1, b: 'two', c: [true, null, { d: -3.5 }] }
    expect(toSerializable(value)).toEqual(value)
  })

  it('marks values JSON cannot hold', () => {
    function namedFunction() {}
    expect(
      toSerializable([
        undefined,
        10n ** 20n,
        namedFunction,
        Symbol('tag'),
        Symbol(),
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        -0,
        new Date(Date.UTC(2024, 0, 2)),
        new Date(Number.NaN),
        /ab+c/gi,
      ]),
    ).toEqual([
      { $type: 'Undefined' },
      { $type: 'BigInt', value: '100000000000000000000' },
      { $type: 'Function', name: 'namedFunction' },
      { $type: 'Symbol', description: 'tag' },
      { $type: 'Symbol', description: null },
      { $type: 'Number', value: 'NaN' },
      { $type: 'Number', value: 'Infinity' },
      { $type: 'Number', value: '-Infinity' },
      { $type: 'Number', value: '-0' },
      { $type: 'Date', iso: '2024-01-02T00:00:00.000Z' },
      { $type: 'Date', iso: 'Invalid Date' },
      { $type: 'RegExp', source: 'ab+c', flags: 'gi' },
    ])
  })

  it('keeps undefined-valued properties visible', () => {
    expect(toSerializable({ a: undefined })).toEqual({ a: { $type: 'Undefined' } })
  })

  it('marks errors with name, message and an AtomaError code', () => {
    expect(toSerializable(new TypeError('bad'))).toEqual({
      $type: 'Error',
      name: 'TypeError',
      message: 'bad',
    })
    expect(toSerializable(new AtomaError('NOT_FOUND', 'todo 7 not found'))).toEqual({
      $type: 'Error',
      name: 'AtomaError',
      message: 'todo 7 not found',
      code: 'NOT_FOUND',
    })
  })

  it('writes Maps and Sets as entries and values with their size', () => {
    const key = { id: 1 }
    expect(
      toSerializable(
        new Map<unknown, unknown>([
          [key, 'one'],
          ['k', new Set([1, 2])],
        ]),
      ),
    ).toEqual({
      $type: 'Map',
      size: 2,
      entries: [
        [{ id: 1 }, 'one'],
        ['k', { $type: 'Set', size: 2, values: [1, 2] }],
      ],
    })
  })

  it('writes a map-like (entries, iterator, size) as a Map naming its class', () => {
    const entities = new ReadonlyEntities([['a', { title: 'A' }]])
    expect(toSerializable(entities)).toEqual({
      $type: 'Map',
      size: 1,
      entries: [['a', { title: 'A' }]],
      className: 'ReadonlyEntities',
    })
  })

  it('keeps a plain object with an entries function a plain object', () => {
    const plain = { size: 1, entries: () => [], [Symbol.iterator]: () => [][Symbol.iterator]() }
    expect(toSerializable(plain)).toEqual({ size: 1, entries: { $type: 'Function', name: 'entries' } })
  })

  it('writes class instances with their class name and own properties', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(toSerializable(new Point(1, 2))).toEqual({
      $type: 'Instance',
      className: 'Point',
      props: { x: 1, y: 2 },
    })
    expect(toSerializable(Object.assign(Object.create(null), { a: 1 }))).toEqual({ a: 1 })
  })

  it('marks cycles with the path of the repeated ancestor in the output tree', () => {
    const root: Record<string, unknown> = { name: 'root' }
    const child: Record<string, unknown> = { parent: root }
    root.children = [child]
    const map = new Map<string, unknown>()
    map.set('me', map)
    root.map = map
    expect(toSerializable(root)).toEqual({
      name: 'root',
      children: [{ parent: { $type: 'Cycle', path: [] } }],
      map: { $type: 'Map', size: 1, entries: [['me', { $type: 'Cycle', path: ['map'] }]] },
    })
  })

  it('writes a shared, non-cyclic reference at each place it occurs', () => {
    const shared = { n: 1 }
    expect(toSerializable({ a: shared, b: [shared] })).toEqual({ a: { n: 1 }, b: [{ n: 1 }] })
  })

  it('truncates containers deeper than maxDepth, saying what was cut', () => {
    const deep = { a: { b: { c: { d: 1 } } }, list: [[1, 2, 3]], set: [new Set([1])], map: [new Map()] }
    expect(toSerializable(deep, { maxDepth: 2 })).toEqual({
      a: { b: { $type: 'Truncated', reason: 'depth', kind: 'Object', size: 1 } },
      list: [{ $type: 'Truncated', reason: 'depth', kind: 'Array', size: 3 }],
      set: [{ $type: 'Truncated', reason: 'depth', kind: 'Set', size: 1 }],
      map: [{ $type: 'Truncated', reason: 'depth', kind: 'Map', size: 0 }],
    })
    expect(toSerializable({ a: 1 }, { maxDepth: 0 })).toEqual({
      $type: 'Truncated',
      reason: 'depth',
      kind: 'Object',
      size: 1,
    })
  })

  it('defaults to a depth of 8', () => {
    let nested: unknown = 'leaf'
    for (let level = 0; level < 9; level++) nested = [nested]
    let cursor = toSerializable(nested)
    for (let level = 0; level < 8; level++) cursor = (cursor as JsonValue[])[0] as JsonValue
    expect(cursor).toEqual({ $type: 'Truncated', reason: 'depth', kind: 'Array', size: 1 })
  })

  it('caps entries per container with explicit markers', () => {
    const limits = { maxEntries: 2 }
    expect(toSerializable([1, 2, 3, 4], limits)).toEqual([
      1,
      2,
      { $type: 'Truncated', reason: 'entries', omitted: 2 },
    ])
    expect(toSerializable({ a: 1, b: 2, c: 3 }, limits)).toEqual({ a: 1, b: 2, $truncated: 1 })
    expect(toSerializable(new Set([1, 2, 3]), limits)).toEqual({
      $type: 'Set',
      size: 3,
      values: [1, 2],
      truncated: true,
    })
    expect(
      toSerializable(
        new Map([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
        limits,
      ),
    ).toEqual({
      $type: 'Map',
      size: 3,
      entries: [
        [1, 1],
        [2, 2],
      ],
      truncated: true,
    })
  })

  it('reads only the entries it keeps from a huge collection', () => {
    let read = 0
    const huge = {
      size: 1_000_000,
      *entries() {
        for (let index = 0; index < this.size; index++) {
          read += 1
          yield [index, index]
        }
      },
    }
    Object.setPrototypeOf(huge, { [Symbol.iterator]: huge.entries })
    const out = toSerializable(huge, { maxEntries: 5 }) as { entries: JsonValue[] }
    expect(out.entries).toHaveLength(5)
    expect(read).toBeLessThanOrEqual(6)
  })

  it('caps string length with a preview', () => {
    expect(toSerializable('abcdef', { maxString: 3 })).toEqual({
      $type: 'Truncated',
      reason: 'string',
      length: 6,
      preview: 'abc',
    })
    expect(toSerializable('abc', { maxString: 3 })).toBe('abc')
    expect(toSerializable('x'.repeat(10_001))).toMatchObject({ $type: 'Truncated', length: 10_001 })
  })

  it('marks values whose reading throws instead of throwing', () => {
    const revoked = Proxy.revocable({}, {})
    revoked.revoke()
    const getter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('getter broke')
      },
    })
    expect(toSerializable({ revoked: revoked.proxy, getter, after: 2 })).toEqual({
      revoked: { $type: 'Unreadable', error: expect.stringContaining('revoked') },
      getter: { $type: 'Unreadable', error: 'getter broke' },
      after: 2,
    })
  })

  it('escapes user keys so data cannot pose as a marker and decodeKey restores them', () => {
    const spoof = { $type: 'Date', iso: 'fake', $$already: 1, $truncated: 5, plain: 2 }
    const out = toSerializable(spoof) as Record<string, JsonValue>
    expect(out).toEqual({ $$type: 'Date', iso: 'fake', $$$already: 1, $$truncated: 5, plain: 2 })
    expect(out.$type).toBeUndefined()
    expect(Object.keys(out).map(decodeKey)).toEqual(['$type', 'iso', '$$already', '$truncated', 'plain'])
    expect(decodeKey('$type')).toBeNull()
    expect(decodeKey('$truncated')).toBeNull()
  })

  it('survives a JSON.parse round trip of hostile input without polluting any prototype', () => {
    const hostile: unknown = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},' +
        '"prototype":{"polluted":true},"$type":"Cycle","nested":[{"__proto__":{"polluted":true}}]}',
    )
    const parsed = JSON.parse(safeStringify(hostile)) as Record<string, unknown>

    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.keys(parsed).sort()).toEqual([
      '$$type',
      '$__proto__',
      '$constructor',
      '$prototype',
      'nested',
    ])
    const nested = (parsed.nested as Record<string, unknown>[])[0]
    expect(Object.keys(nested ?? {})).toEqual(['$__proto__'])

    const target: Record<string, unknown> = {}
    naiveMerge(target, parsed)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype)
    expect(target.polluted).toBeUndefined()
  })

  it('the hostile input really does pollute a naive merge when not escaped', () => {
    const hostile = JSON.parse('{"constructor":{"prototype":{"pollutedForTest":true}}}') as Record<
      string,
      unknown
    >
    const target: Record<string, unknown> = {}
    try {
      naiveMerge(target, hostile)
      expect(({} as Record<string, unknown>).pollutedForTest).toBe(true)
    } finally {
      delete (Object.prototype as Record<string, unknown>).pollutedForTest
    }
  })
})

describe('safeStringify', () => {
  it('never throws on values JSON.stringify rejects', () => {
    const cyclic: Record<string, unknown> = { big: 1n }
    cyclic.self = cyclic
    expect(() => JSON.stringify(cyclic)).toThrow()
    expect(JSON.parse(safeStringify(cyclic))).toEqual({
      big: { $type: 'BigInt', value: '1' },
      self: { $type: 'Cycle', path: [] },
    })
    expect(safeStringify(undefined)).toBe('{"$type":"Undefined"}')
  })

  it('applies the limits it is given', () => {
    expect(safeStringify(['a', 'b', 'c'], { maxEntries: 1 })).toBe(
      '["a",{"$type":"Truncated","reason":"entries","omitted":2}]',
    )
  })
})
