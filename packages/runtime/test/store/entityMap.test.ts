import fc from 'fast-check'
import { isDraftable, produce } from 'immer'
import { describe, expect, it } from 'vitest'
import type { Id } from '../../src/query/types.js'
import { EntityMap, entityMapInternals, isEntityMap } from '../../src/store/entityMap.js'
import { fcOptions } from '../support/fc.js'

const { census, hashId, verify, withHash } = entityMapInternals

function build<T>(
  entries: Iterable<readonly [Id, T]>,
  start: EntityMap<T> = EntityMap.empty<T>(),
): EntityMap<T> {
  return start.withMutations((m) => {
    for (const [id, value] of entries) m.set(id, value)
  })
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** Ids whose whole trie hashes are equal, found by searching `k0, k1, ...`. */
function collidingPairs(count: number): [string, string][] {
  const seen = new Map<number, string>()
  const pairs: [string, string][] = []
  for (let i = 0; pairs.length < count; i++) {
    const id = `k${i}`
    const h = hashId(id)
    const other = seen.get(h)
    if (other === undefined) seen.set(h, id)
    else pairs.push([other, id])
  }
  return pairs
}

describe('EntityMap basics', () => {
  it('starts empty', () => {
    const m = EntityMap.empty<string>()
    expect(m.size).toBe(0)
    expect(m.get(1)).toBeUndefined()
    expect(m.has(1)).toBe(false)
    expect([...m]).toEqual([])
    expect(m.toJSON()).toEqual([])
    expect(EntityMap.empty()).toBe(m)
    expect(m.delete(1)).toBe(m)
  })

  it('gets, sets and deletes, returning new versions', () => {
    const a = EntityMap.empty<string>()
    const b = a.set('x', 'one')
    const c = b.set(2, 'two')
    const d = c.delete('x')
    expect([a.size, b.size, c.size, d.size]).toEqual([0, 1, 2, 1])
    expect(c.get('x')).toBe('one')
    expect(c.get(2)).toBe('two')
    expect(d.has('x')).toBe(false)
    expect(d.get(2)).toBe('two')
    expect(new Set([a, b, c, d]).size).toBe(4)
    expect(b.get(2)).toBeUndefined()
  })

  it('returns itself when a write changes nothing', () => {
    const value = { n: 1 }
    const m = EntityMap.empty<unknown>().set('a', value).set('nan', Number.NaN)
    expect(m.set('a', value)).toBe(m)
    expect(m.set('nan', Number.NaN)).toBe(m)
    expect(m.set('a', { n: 1 })).not.toBe(m)
    expect(m.delete('missing')).toBe(m)
    expect(m.withMutations(() => {})).toBe(m)
    expect(m.withMutations((b) => b.set('a', value))).toBe(m)
  })

  it('tells 1 from "1", and -0 from nothing', () => {
    const m = EntityMap.empty<string>().set(1, 'number').set('1', 'string')
    expect(m.size).toBe(2)
    expect(m.get(1)).toBe('number')
    expect(m.get('1')).toBe('string')
    expect(m.delete(1).get('1')).toBe('string')
    expect(m.delete('1').get(1)).toBe('number')

    const zero = EntityMap.empty<string>().set(-0, 'a')
    expect(zero.get(0)).toBe('a')
    expect(Object.is([...zero.keys()][0], 0)).toBe(true)
    expect(zero.set(0, 'b').size).toBe(1)
    const nan = EntityMap.empty<string>().set(Number.NaN, 'n')
    expect(nan.get(Number.NaN)).toBe('n')
    expect(nan.delete(Number.NaN).size).toBe(0)
  })

  it('hashes numbers of every kind and strings without mixing them up', () => {
    const ids: Id[] = [
      0,
      1,
      -1,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53,
      0.5,
      -0.5,
      1e-300,
      Infinity,
      -Infinity,
      '',
      'a',
      'é',
      '😀',
    ]
    const m = build(ids.map((id, i) => [id, i] as const))
    expect(m.size).toBe(ids.length)
    for (const [i, id] of ids.entries()) expect(m.get(id)).toBe(i)
    for (const id of ids) expect(hashId(id)).toBe(hashId(id))
    // Consecutive integers must not share low bits (the trie's first level).
    expect(new Set(range(1024).map((i) => hashId(i) & 31)).size).toBe(32)
  })
})

describe('EntityMap order', () => {
  it('iterates in insertion order; an update keeps its place, a re-add goes last', () => {
    let m = build<string>([
      ['c', 'C'],
      [3, 'three'],
      ['a', 'A'],
    ])
    m = m.set('b', 'B').set(3, 'THREE').delete('c').set('c', 'C2')
    expect([...m.keys()]).toEqual([3, 'a', 'b', 'c'])
    expect([...m.values()]).toEqual(['THREE', 'A', 'B', 'C2'])
    expect([...m.entries()]).toEqual([
      [3, 'THREE'],
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C2'],
    ])
    expect([...m]).toEqual(m.toJSON())
    expect(JSON.stringify(m)).toBe('[[3,"THREE"],["a","A"],["b","B"],["c","C2"]]')

    const seen: [unknown, Id, unknown, unknown][] = []
    const context = { tag: 'ctx' }
    m.forEach(function (this: unknown, value, id, map) {
      seen.push([value, id, map, this])
    }, context)
    expect(seen).toEqual([...m].map(([id, value]) => [value, id, m, context]))
  })

  it('keeps order across many leaves and after mass deletion', () => {
    let m = build(range(5000).map((i) => [i, i] as const))
    m = m.withMutations((b) => {
      for (let i = 0; i < 5000; i++) if (i % 7 !== 0) b.delete(i)
    })
    const kept = range(5000).filter((i) => i % 7 === 0)
    expect([...m.keys()]).toEqual(kept)
    expect(verify(m)).toEqual([])
    m = m.set(1, 1).set(0, 100)
    expect([...m.keys()]).toEqual([...kept, 1])
    expect(m.get(0)).toBe(100)
  })

  it('has iterators that follow the protocol', () => {
    const m = build([
      ['a', 1],
      ['b', 2],
    ])
    const it = m.values()
    expect(it[Symbol.iterator]()).toBe(it)
    expect(it.next()).toEqual({ done: false, value: 1 })
    expect(it.next()).toEqual({ done: false, value: 2 })
    expect(it.next()).toEqual({ done: true, value: undefined })
    expect(it.next()).toEqual({ done: true, value: undefined })
    expect(Object.getPrototypeOf(Object.getPrototypeOf(it))).toBe(
      Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    )
  })
})

describe('EntityMap persistence', () => {
  it('leaves every old version as it was', () => {
    const versions: EntityMap<number>[] = []
    const snapshots: [Id, number][][] = []
    let m = EntityMap.empty<number>()
    for (let step = 0; step < 400; step++) {
      const id = (step * 37) % 97
      m = step % 3 === 2 ? m.delete(id) : m.set(id, step)
      versions.push(m)
      snapshots.push([...m])
    }
    versions.forEach((v, i) => {
      expect([...v]).toEqual(snapshots[i])
      expect(verify(v)).toEqual([])
    })
  })

  it('shares all but one path per tree between versions', () => {
    const base = build(range(100_000).map((i) => [`id-${i}`, i] as const))
    const shape = census(base)
    expect(shape.entries).toBe(100_000)
    expect(shape.trieDepth).toBeLessThanOrEqual(6)
    expect(shape.orderHeight).toBe(4)

    const updated = base.set('id-500', -1)
    const appended = base.set('new', 1)
    const deleted = base.delete('id-50000')
    for (const [next, entries] of [
      [updated, 1],
      [appended, 1],
      [deleted, 0],
    ] as const) {
      const fresh = census(next, base)
      expect(fresh.entries).toBe(entries)
      expect(fresh.trieNodes).toBeLessThanOrEqual(shape.trieDepth)
      expect(fresh.orderNodes).toBeLessThanOrEqual(shape.orderHeight)
      expect(verify(next)).toEqual([])
    }

    // The same write on a 100-entry map copies about as much.
    const small = build(range(100).map((i) => [`id-${i}`, i] as const))
    const smallFresh = census(small.set('id-50', -1), small)
    expect(smallFresh.trieNodes + smallFresh.orderNodes).toBeLessThanOrEqual(4)
    expect(base.get('id-500')).toBe(500)
    expect(base.has('new')).toBe(false)
    expect(base.get('id-50000')).toBe(50000)
  })

  it('is an opaque value to immer and survives Object.freeze', () => {
    const m = Object.freeze(build([['a', { n: 1 }]]))
    expect(isDraftable(m)).toBe(false)
    expect(isEntityMap(m)).toBe(true)
    expect(isEntityMap(new Map())).toBe(false)
    expect(Object.prototype.toString.call(m)).toBe('[object EntityMap]')
    const state = { items: m }
    const next = produce(state, (draft) => {
      draft.items = draft.items.set('b', { n: 2 })
    })
    expect(next.items).not.toBe(m)
    expect(next.items.get('b')).toEqual({ n: 2 })
    expect(m.has('b')).toBe(false)
    expect(m.set('c', { n: 3 }).size).toBe(2)
  })
})

describe('EntityMap collisions', () => {
  it('keeps ids whose real hashes collide apart', () => {
    const pairs = collidingPairs(3)
    const ids = pairs.flat()
    for (const [a, b] of pairs) expect(hashId(a)).toBe(hashId(b))
    let m = build(ids.map((id, i) => [id, i] as const))
    expect(verify(m)).toEqual([])
    for (const [i, id] of ids.entries()) expect(m.get(id)).toBe(i)
    for (const [a, b] of pairs) {
      m = m.set(b, -1).delete(a)
      expect(m.get(b)).toBe(-1)
      expect(m.has(a)).toBe(false)
      expect(verify(m)).toEqual([])
    }
    expect([...m.keys()]).toEqual(pairs.map(([, b]) => b))
  })

  it('handles a hash where every id collides', () => {
    const base = withHash<number>(() => 7)
    let m = build(
      range(40).map((i) => [i % 2 ? i : `s${i}`, i] as const),
      base,
    )
    expect(census(m).trieNodes).toBe(2) // the root and one collision node
    expect(verify(m)).toEqual([])
    const old = m
    for (let i = 0; i < 40; i += 3) m = m.delete(i % 2 ? i : `s${i}`)
    m = m.set(1, 100)
    expect(verify(m)).toEqual([])
    expect(m.get(1)).toBe(100)
    expect([...old.values()]).toEqual(range(40))
    m = m.withMutations((b) => {
      for (const id of [...m.keys()]) b.delete(id)
    })
    expect(m.size).toBe(0)
    expect(census(m).trieNodes).toBe(0)
  })

  it('builds and folds the deepest paths', () => {
    // With the identity hash, 0 and 2^25 share their 25 low bits: six levels before they part.
    let m = build(
      [
        [0, 'a'],
        [2 ** 25, 'b'],
      ],
      withHash<string>((id) => Number(id)),
    )
    expect(census(m).trieDepth).toBe(6)
    expect(verify(m)).toEqual([])
    m = m.set(2 ** 25 + 2 ** 30, 'same 30 bits as 2^25').set(1, 'c')
    expect(verify(m)).toEqual([])
    expect(m.get(2 ** 25 + 2 ** 30)).toBe('same 30 bits as 2^25')
    m = m.delete(0)
    expect(census(m).trieDepth).toBe(1)
    expect(verify(m)).toEqual([])
    expect([...m.keys()]).toEqual([2 ** 25, 2 ** 25 + 2 ** 30, 1])
  })
})

describe('EntityMap.withMutations', () => {
  it('batches writes without touching the source', () => {
    const source = build(range(1000).map((i) => [i, i] as const))
    const before = [...source]
    const next = source.withMutations((b) => {
      expect(b.size).toBe(1000)
      b.set(5, -5)
      expect(b.get(5)).toBe(-5)
      b.delete(6)
      expect(b.has(6)).toBe(false)
      b.set('new', 1)
      expect(b.size).toBe(1000)
    })
    expect([...source]).toEqual(before)
    expect(next.get(5)).toBe(-5)
    expect(next.has(6)).toBe(false)
    expect([...next.keys()].at(-1)).toBe('new')
    expect(verify(source)).toEqual([])
    expect(verify(next)).toEqual([])
  })

  it('copies each node at most once however many writes hit it', () => {
    const source = build(range(10_000).map((i) => [i, i] as const))
    const once = census(source.set(42, 0), source)
    const many = census(
      source.withMutations((b) => {
        for (let i = 1; i <= 100; i++) b.set(42, i)
      }),
      source,
    )
    expect(many).toEqual(once)

    const batch = source.withMutations((b) => {
      for (let i = 0; i < 1000; i++) b.set(i, -i)
    })
    const separate = range(1000).reduce((m, i) => m.set(i, -i), source)
    expect([...batch]).toEqual([...separate])
    const shape = census(batch)
    const fresh = census(batch, source)
    expect(fresh.entries).toBe(1000)
    expect(fresh.trieNodes + fresh.orderNodes).toBeLessThan(shape.trieNodes + shape.orderNodes)
  })

  it('publishes nothing when the batch throws, and closes the builder', () => {
    const source = build([['a', 1]])
    let leaked: { set(id: Id, value: number): void } | undefined
    expect(() =>
      source.withMutations((b) => {
        leaked = b
        b.set('a', 2)
        b.set('b', 3)
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect([...source]).toEqual([['a', 1]])
    expect(() => leaked?.set('c', 4)).toThrow(TypeError)

    const done = source.withMutations((b) => {
      leaked = b
    })
    expect(done).toBe(source)
    expect(() => leaked?.set('c', 4)).toThrow(/after withMutations/)
  })

  it('builds from entries: first position, last value', () => {
    const m = EntityMap.from<number>([
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ])
    expect(m.toJSON()).toEqual([
      ['a', 3],
      ['b', 2],
    ])
    expect(EntityMap.from(m)).toBe(m)
    expect(EntityMap.from(new Map<Id, number>([[1, 1]])).get(1)).toBe(1)
  })
})

// ---------------------------------------------------------------------------------------------
// Model test: random writes checked against a native Map after every step.

type Op =
  | { kind: 'set'; id: Id; value: number }
  | { kind: 'delete'; id: Id }
  | { kind: 'batch'; ops: Op[]; fail: boolean }

function opArbitrary(id: fc.Arbitrary<Id>): fc.Arbitrary<Op> {
  const single = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('set' as const), id, value: fc.integer({ min: 0, max: 3 }) }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), id }) },
  )
  return fc.oneof(
    { weight: 8, arbitrary: single },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('batch' as const),
        ops: fc.array(single, { maxLength: 120 }),
        fail: fc.boolean(),
      }),
    },
  )
}

function applyToModel(model: Map<Id, number>, op: Op): void {
  if (op.kind === 'set') model.set(op.id, op.value)
  else if (op.kind === 'delete') model.delete(op.id)
  else if (!op.fail) for (const inner of op.ops) applyToModel(model, inner)
}

function applyToMap(map: EntityMap<number>, op: Op): EntityMap<number> {
  if (op.kind === 'set') return map.set(op.id, op.value)
  if (op.kind === 'delete') return map.delete(op.id)
  try {
    return map.withMutations((b) => {
      for (const inner of op.ops) {
        if (inner.kind === 'set') b.set(inner.id, inner.value)
        else if (inner.kind === 'delete') b.delete(inner.id)
      }
      if (op.fail) throw new Error('batch aborted')
    })
  } catch {
    return map
  }
}

function checkModel(start: EntityMap<number>, ops: Op[]): void {
  const model = new Map<Id, number>()
  let map = start
  const history: [EntityMap<number>, [Id, number][]][] = []
  for (const op of ops) {
    const before = [...model]
    applyToModel(model, op)
    const next = applyToMap(map, op)
    const after = [...model]
    // A write that changes nothing keeps the identity.
    if (JSON.stringify(before) === JSON.stringify(after) && op.kind !== 'batch') expect(next).toBe(map)
    map = next
    expect([...map]).toEqual(after)
    expect(map.size).toBe(model.size)
    if (op.kind !== 'batch') {
      expect(map.get(op.id)).toBe(model.get(op.id))
      expect(map.has(op.id)).toBe(model.has(op.id))
    }
    expect(verify(map)).toEqual([])
    history.push([map, after])
  }
  for (const [version, snapshot] of history) expect([...version]).toEqual(snapshot)
}

describe('EntityMap against a native Map', () => {
  const smallIds: fc.Arbitrary<Id> = fc.oneof(
    fc.integer({ min: 0, max: 6 }),
    fc.constantFrom('0', '1', '2', 'a', 'b'),
  )
  const largeIds: fc.Arbitrary<Id> = fc.oneof(
    fc.integer({ min: 0, max: 3000 }),
    fc.nat(3000).map((n) => `id${n}`),
  )

  it('agrees on a small key space', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary(smallIds), { maxLength: 60 }), (ops) => {
        checkModel(EntityMap.empty(), ops)
      }),
      fcOptions(200),
    )
  })

  it('agrees on a large key space', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary(largeIds), { maxLength: 120 }), (ops) => {
        checkModel(EntityMap.empty(), ops)
      }),
      fcOptions(60),
    )
  })

  it('agrees when hashes collide heavily', () => {
    // Four distinct hashes whose low bits agree: deep paths and crowded collision nodes.
    const crowded = withHash<number>((id) => (hashId(id) & 3) << 20)
    fc.assert(
      fc.property(fc.array(opArbitrary(largeIds), { maxLength: 80 }), (ops) => {
        checkModel(crowded, ops)
      }),
      fcOptions(40),
    )
  })

  it('merges the children that become neighbours when two branches merge', () => {
    // Two range deletions in a three-level tree: the second merges two branches whose edge leaves
    // (a few entries each) meet for the first time. Found by the property test below.
    let map = build<number>(range(3000).map((i) => [i, 0] as const))
    map = map.withMutations((m) => {
      for (let i = 481; i <= 1056; i++) m.delete(i)
    })
    map = map.withMutations((m) => {
      for (let i = 1090; i <= 1569; i++) m.delete(i)
    })
    expect(verify(map)).toEqual([])
    expect([...map.keys()]).toEqual([
      ...range(481),
      ...range(1090 - 1057).map((i) => 1057 + i),
      ...range(3000 - 1570).map((i) => 1570 + i),
    ])
  })

  it('agrees through order-tree splits and merges', () => {
    // Start from 3,000 entries (a three-level order tree) and delete and re-add in bulk.
    const seed = build<number>(range(3000).map((i) => [i, 0] as const))
    const bulk = fc.record({
      kind: fc.constant('batch' as const),
      fail: fc.constant(false),
      ops: fc.array(
        fc.oneof(
          fc.record({
            kind: fc.constant('delete' as const),
            id: fc.integer({ min: 0, max: 3000 }) as fc.Arbitrary<Id>,
          }),
          fc.record({
            kind: fc.constant('set' as const),
            id: fc.integer({ min: 0, max: 3000 }) as fc.Arbitrary<Id>,
            value: fc.integer({ min: 0, max: 3 }),
          }),
        ),
        { maxLength: 1500 },
      ),
    })
    const ranges = fc.tuple(fc.nat(3000), fc.nat(3000), fc.boolean()).map(([a, b, del]): Op => {
      const [lo, hi] = a < b ? [a, b] : [b, a]
      const ops: Op[] = range(hi - lo).map((i) =>
        del ? { kind: 'delete', id: lo + i } : { kind: 'set', id: lo + i, value: 1 },
      )
      return { kind: 'batch', ops, fail: false }
    })
    fc.assert(
      fc.property(
        fc.array(fc.oneof(bulk, ranges, opArbitrary(fc.integer({ min: 0, max: 3000 }))), { maxLength: 12 }),
        (ops) => {
          const model = new Map<Id, number>(seed)
          let map = seed
          for (const op of ops) {
            applyToModel(model, op)
            map = applyToMap(map, op)
            expect([...map]).toEqual([...model])
            expect(verify(map)).toEqual([])
          }
          expect([...seed.keys()]).toEqual(range(3000))
        },
      ),
      fcOptions(40),
    )
  })
})
