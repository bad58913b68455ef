import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AtomaError } from '../../src/errors.js'
import {
  compareBy,
  compileWhere,
  encodeCursor,
  matches,
  runQuery,
  validateQuery,
} from '../../src/query/evaluate.js'
import type { Id, Query, Where } from '../../src/query/types.js'

interface Task {
  id: Id
  title?: string | null
  rank?: number | null
  tags?: string[]
  done?: boolean
}

const keyOf = (task: Task): Id => task.id

/** `matches` and the compiled predicate must agree on every check. */
function both(item: Task, where: Where<Task>): boolean {
  const interpreted = matches(item, where)
  expect(compileWhere(where)(item)).toBe(interpreted)
  return interpreted
}

const untyped = (where: unknown): Where<Task> => where as Where<Task>

describe('field conditions', () => {
  const task: Task = { id: 1, title: 'Write tests', rank: 5, tags: ['a', 'b'], done: false }
  const bare: Task = { id: 2 }
  const nulls: Task = { id: 3, title: null, rank: null }

  it('compares plain values and eq with ===, a missing field reading null', () => {
    expect(both(task, { title: 'Write tests' })).toBe(true)
    expect(both(task, { title: 'write tests' })).toBe(false)
    expect(both(task, { rank: { eq: 5 } })).toBe(true)
    expect(both(task, untyped({ rank: '5' }))).toBe(false)
    expect(both(task, { done: false })).toBe(true)
    expect(both(bare, { title: null })).toBe(true)
    expect(both(nulls, { title: { eq: null } })).toBe(true)
    expect(both(task, { title: null })).toBe(false)
    expect(both(task, untyped({ tags: ['a', 'b'] }))).toBe(false)
  })

  it('ne matches null, and ne: null matches anything else', () => {
    expect(both(bare, { title: { ne: 'x' } })).toBe(true)
    expect(both(nulls, { title: { ne: 'x' } })).toBe(true)
    expect(both(task, { title: { ne: 'Write tests' } })).toBe(false)
    expect(both(task, { title: { ne: null } })).toBe(true)
    expect(both(bare, { title: { ne: null } })).toBe(false)
  })

  it('orders numbers numerically and strings by UTF-16 code unit', () => {
    expect(both(task, { rank: { gt: 4 } })).toBe(true)
    expect(both(task, { rank: { gt: 5 } })).toBe(false)
    expect(both(task, { rank: { gte: 5 } })).toBe(true)
    expect(both(task, { rank: { lt: 10 } })).toBe(true)
    expect(both(task, { rank: { lte: 4.5 } })).toBe(false)
    expect(both({ id: 1, rank: 10 }, { rank: { gt: 9 } })).toBe(true) // not '10' < '9'
    expect(both(task, { title: { lt: 'a' } })).toBe(true) // 'W' < 'a'
    expect(both({ id: 1, title: 'é' }, { title: { gt: 'z' } })).toBe(true)
    // By code unit, U+1F600 (a surrogate pair, 0xD83D...) sorts before U+FFFF.
    expect(both({ id: 1, title: '😀' }, { title: { lt: '\uffff' } })).toBe(true)
  })

  it('makes comparisons with null or mismatched types false', () => {
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      expect(both(bare, { rank: { [op]: 0 } })).toBe(false)
      expect(both(nulls, { rank: { [op]: 0 } })).toBe(false)
      expect(both(task, untyped({ rank: { [op]: '5' } }))).toBe(false)
      expect(both(task, untyped({ rank: { [op]: null } }))).toBe(false)
      expect(both(task, untyped({ done: { [op]: false } }))).toBe(false)
      expect(both({ id: 1, rank: Number.NaN }, { rank: { [op]: 0 } })).toBe(false)
    }
  })

  it('in: membership with ===, null in the list matching null, long lists alike', () => {
    expect(both(task, { rank: { in: [1, 5] } })).toBe(true)
    expect(both(task, { rank: { in: [] } })).toBe(false)
    expect(both(bare, { rank: { in: [1, null] } })).toBe(true)
    expect(both(bare, { rank: { in: [1, 2] } })).toBe(false)
    expect(both(task, untyped({ rank: { in: ['5'] } }))).toBe(false)
    const long = [...Array.from({ length: 20 }, (_, i) => i + 100), Number.NaN, null]
    expect(both(task, { rank: { in: [...long, 5] } })).toBe(true)
    expect(both(task, { rank: { in: long } })).toBe(false)
    expect(both(bare, { rank: { in: long } })).toBe(true)
    expect(both({ id: 1, rank: Number.NaN }, { rank: { in: long } })).toBe(false)
  })

  it('containsi: substring with ASCII letters folded, every other character exact, strings only', () => {
    expect(both(task, { title: { containsi: 'WRITE T' } })).toBe(true)
    expect(both(task, { title: { contains: 'WRITE T' } })).toBe(false)
    expect(both({ id: 1, title: 'Call The Printer' }, { title: { containsi: 'the print' } })).toBe(true)
    expect(both({ id: 1, title: 'Élan' }, { title: { containsi: 'élan' } })).toBe(false)
    expect(both({ id: 1, title: 'Élan' }, { title: { containsi: 'LAN' } })).toBe(true)
    expect(both({ id: 1, tags: ['A'] } as never, { tags: { containsi: 'a' } } as never)).toBe(false)
  })

  it('contains: substring for strings, element membership for arrays', () => {
    expect(both(task, { title: { contains: 'te t' } })).toBe(true)
    expect(both(task, { title: { contains: 'write' } })).toBe(false)
    expect(both(task, { tags: { contains: 'b' } })).toBe(true)
    expect(both(task, { tags: { contains: 'c' } })).toBe(false)
    expect(both({ id: 1, title: 'a5b' }, untyped({ title: { contains: 5 } }))).toBe(false)
    expect(both({ id: 1, rank: 55 }, untyped({ rank: { contains: 5 } }))).toBe(false)
    expect(both(bare, { tags: { contains: 'a' } })).toBe(false)
    expect(
      both({ id: 1, tags: [{ x: 1 }] } as unknown as Task, untyped({ tags: { contains: { x: 1 } } })),
    ).toBe(false)
  })

  it('startsWith: case-sensitive prefix of strings only', () => {
    expect(both(task, { title: { startsWith: 'Write' } })).toBe(true)
    expect(both(task, { title: { startsWith: 'write' } })).toBe(false)
    expect(both(task, { title: { startsWith: '' } })).toBe(true)
    expect(both(bare, { title: { startsWith: '' } })).toBe(false)
    expect(both(task, untyped({ rank: { startsWith: '5' } }))).toBe(false)
  })

  it('ands several operators, ignores undefined, and treats {} as no condition', () => {
    expect(both(task, { rank: { gt: 1, lt: 9 } })).toBe(true)
    expect(both(task, { rank: { gt: 1, lt: 5 } })).toBe(false)
    expect(both(task, { rank: { gt: 1 }, title: { startsWith: 'W' } })).toBe(true)
    expect(both(task, { rank: { gt: 1 }, title: { startsWith: 'X' } })).toBe(false)
    expect(both(task, { rank: undefined, title: { eq: undefined, ne: 'x' } })).toBe(true)
    expect(both(bare, untyped({ rank: {} }))).toBe(true)
  })

  it('reads only own fields for names Object.prototype defines', () => {
    expect(both({ id: 1 }, untyped({ toString: null }))).toBe(true)
    expect(both({ id: 1 }, untyped({ constructor: null }))).toBe(true)
    expect(both({ id: 1, toString: 'x' } as unknown as Task, untyped({ toString: 'x' }))).toBe(true)
    expect(both({ id: 1, rank: 2 }, untyped({ valueOf: { ne: null } }))).toBe(false)
  })

  it('rejects what it cannot interpret', () => {
    for (const where of [{ rank: { eqq: 1 } }, { and: {} }, { or: 'x' }, { not: [] }, { and: [1] }]) {
      expect(() => matches(task, untyped(where))).toThrow(AtomaError)
      expect(() => compileWhere(untyped(where))).toThrow(AtomaError)
    }
    expect(() => matches(task, untyped({ rank: { eqq: 1 } }))).toThrow(
      /unknown operator "eqq" on field "rank"/,
    )
  })
})

describe('and / or / not', () => {
  const items: Task[] = [
    { id: 1, rank: 1, done: true },
    { id: 2, rank: 2, done: false },
    { id: 3, rank: 3, done: true },
    { id: 4, done: false },
  ]
  const ids = (where: Where<Task>) => items.filter((item) => both(item, where)).map(keyOf)

  it('nests', () => {
    expect(ids({ or: [{ rank: 1 }, { rank: 3 }] })).toEqual([1, 3])
    expect(ids({ and: [{ done: true }, { rank: { gt: 1 } }] })).toEqual([3])
    expect(ids({ not: { done: true } })).toEqual([2, 4])
    expect(ids({ not: { rank: { gt: 1 } } })).toEqual([1, 4])
    expect(
      ids({
        or: [{ and: [{ done: false }, { rank: null }] }, { not: { or: [{ rank: 1 }, { done: false }] } }],
      }),
    ).toEqual([3, 4])
    expect(ids({ done: true, or: [{ rank: 1 }, { rank: 2 }] })).toEqual([1])
  })

  it('empty and is true, empty or is false', () => {
    expect(ids({ and: [] })).toEqual([1, 2, 3, 4])
    expect(ids({ or: [] })).toEqual([])
    expect(ids({ not: { or: [] } })).toEqual([1, 2, 3, 4])
    expect(ids({})).toEqual([1, 2, 3, 4])
    expect(items.every((item) => matches(item, undefined))).toBe(true)
  })
})

describe('runQuery', () => {
  const items: Task[] = [
    { id: 'b', title: 'x', rank: 2 },
    { id: 'a', title: 'x', rank: 2 },
    { id: 3, title: 'y' },
    { id: 1, title: null, rank: 1 },
    { id: 'c', title: 'y', rank: 3 },
    { id: 2, rank: 2 },
  ]
  const ids = (query: Query<Task>) => runQuery(items, query, keyOf).map(keyOf)

  it('keeps input order without orderBy', () => {
    expect(ids({})).toEqual(['b', 'a', 3, 1, 'c', 2])
    expect(ids({ orderBy: [] })).toEqual(['b', 'a', 3, 1, 'c', 2])
    expect(ids({ where: { rank: 2 } })).toEqual(['b', 'a', 2])
  })

  it('sorts by fields in order, nulls last ascending and first descending, ties by key', () => {
    expect(ids({ orderBy: [['rank', 'asc']] })).toEqual([1, 2, 'a', 'b', 'c', 3])
    expect(ids({ orderBy: [['rank', 'desc']] })).toEqual([3, 'c', 2, 'a', 'b', 1])
    expect(ids({ orderBy: [['title', 'asc']] })).toEqual(['a', 'b', 3, 'c', 1, 2])
    expect(ids({ orderBy: [['title', 'desc']] })).toEqual([1, 2, 3, 'c', 'a', 'b'])
    expect(
      ids({
        orderBy: [
          ['title', 'asc'],
          ['rank', 'desc'],
        ],
      }),
    ).toEqual(['a', 'b', 3, 'c', 2, 1])
    expect(
      ids({
        orderBy: [
          ['rank', 'asc'],
          ['title', 'desc'],
        ],
      }),
    ).toEqual([1, 2, 'a', 'b', 'c', 3])
  })

  it('applies offset, then limit, after ordering', () => {
    const orderBy: Query<Task>['orderBy'] = [['rank', 'asc']]
    expect(ids({ orderBy, limit: 2 })).toEqual([1, 2])
    expect(ids({ orderBy, offset: 2, limit: 2 })).toEqual(['a', 'b'])
    expect(ids({ orderBy, offset: 5 })).toEqual([3])
    expect(ids({ orderBy, offset: 10 })).toEqual([])
    expect(ids({ orderBy, limit: 0 })).toEqual([])
    // Paged without orderBy: in key order (numbers, then strings), as every backend pages.
    expect(ids({ offset: 1, limit: 2 })).toEqual([2, 3])
    expect(ids({ where: { rank: 2 }, offset: 1 })).toEqual(['a', 'b'])
    expect(ids({ limit: 0 })).toEqual([])
  })

  it('keeps the input order when neither paged nor ordered, and pages in key order', () => {
    const titled = { where: { title: { ne: null } } }
    expect(runQuery(items, titled, keyOf).map(keyOf)).toEqual(['b', 'a', 3, 'c'])
    expect(runQuery(items, { ...titled, limit: 2 }, keyOf).map(keyOf)).toEqual([3, 'a'])
  })

  it('orders mixed types numbers, strings, booleans, others, then null', () => {
    const mixed = [
      { id: 1, v: null },
      { id: 2, v: 'a' },
      { id: 3, v: true },
      { id: 4, v: 10 },
      { id: 5, v: [1] },
      { id: 6, v: false },
      { id: 7, v: Number.NaN },
      { id: 8, v: -1 },
    ]
    const sorted = runQuery(mixed, { orderBy: [['v', 'asc']] }, (x) => x.id).map((x) => x.id)
    expect(sorted).toEqual([8, 4, 7, 2, 6, 3, 5, 1])
    const compare = compareBy<{ id: Id }>([], (x) => x.id)
    expect([{ id: 'b' }, { id: 2 }, { id: 'a' }, { id: 10 }].sort(compare).map((x) => x.id)).toEqual([
      2,
      10,
      'a',
      'b',
    ])
  })
})

describe('validateQuery', () => {
  const invalid: [unknown, RegExp][] = [
    [null, /the query must be a plain object, got null/],
    [[], /the query must be a plain object, got an array/],
    [{ filter: {} }, /unknown query key "filter"/],
    [{ where: 'x' }, /where must be a plain object, got "x"/],
    [{ where: [] }, /where must be a plain object, got an array/],
    [{ where: { rank: { eqq: 1 } } }, /where\.rank: unknown operator "eqq"/],
    [
      { where: { and: [{ rank: { between: [1, 2] } }] } },
      /where\.and\[0\]\.rank: unknown operator "between"/,
    ],
    [{ where: { rank: { in: 1 } } }, /where\.rank\.in must be an array, got 1/],
    [
      { where: { rank: { in: [1, {}] } } },
      /where\.rank\.in\[1\] must be a string, a finite number, a boolean or null/,
    ],
    [
      { where: { rank: Number.POSITIVE_INFINITY } },
      /where\.rank must be a string, a finite number.*got Infinity/,
    ],
    [{ where: { rank: { gt: Number.NaN } } }, /where\.rank\.gt must be a string, a finite number.*got NaN/],
    [{ where: { rank: { in: [1, Number.NEGATIVE_INFINITY] } } }, /where\.rank\.in\[1\]/],
    [{ where: { title: { startsWith: 1 } } }, /where\.title\.startsWith must be a string, got 1/],
    [
      { where: { title: { gt: [1] } } },
      /where\.title\.gt must be a string, a finite number, a boolean or null, got an array/,
    ],
    [
      { where: { title: new Date(0) } },
      /where\.title must be a string, a finite number, a boolean, null or an operator object/,
    ],
    [{ where: { or: {} } }, /where\.or must be an array, got an object/],
    [{ where: { not: 1 } }, /where\.not must be a plain object, got 1/],
    [
      JSON.parse('{"where":{"__proto__":{"x":1}}}'),
      /where\.__proto__: "__proto__" is not allowed as a field name/,
    ],
    [{ where: { not: { constructor: 1 } } }, /where\.not\.constructor: "constructor" is not allowed/],
    [{ where: { prototype: null } }, /where\.prototype: "prototype" is not allowed/],
    [{ orderBy: [['rank', 'up']] }, /orderBy\[0\]: the direction must be "asc" or "desc", got "up"/],
    [{ orderBy: [['rank']] }, /orderBy\[0\] must be a \[field, direction\] pair/],
    [{ orderBy: 'rank' }, /orderBy must be an array/],
    [{ orderBy: [[1, 'asc']] }, /orderBy\[0\]: the field must be a string, got 1/],
    [{ orderBy: [['constructor', 'asc']] }, /orderBy\[0\]: "constructor" is not allowed/],
    [{ limit: -1 }, /limit must be a non-negative integer, got -1/],
    [{ limit: 1.5 }, /limit must be a non-negative integer, got 1.5/],
    [{ limit: '10' }, /limit must be a non-negative integer, got "10"/],
    [{ offset: -3 }, /offset must be a non-negative integer, got -3/],
    [{ offset: Number.POSITIVE_INFINITY }, /offset must be a non-negative integer, got Infinity/],
  ]

  it.each(invalid)('rejects %j', (query, message) => {
    let error: unknown
    try {
      validateQuery(query, 'tasks')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AtomaError)
    const atoma = error as AtomaError
    expect(atoma.code).toBe('VALIDATION')
    expect(atoma.store).toBe('tasks')
    expect(atoma.message).toMatch(/^Invalid query for store "tasks": /)
    expect(atoma.message).toMatch(message)
  })

  it('rejects nesting too deep to check safely', () => {
    let where: Record<string, unknown> = { rank: 1 }
    for (let i = 0; i < 40; i++) where = { not: where }
    expect(() => validateQuery({ where }, 'tasks')).toThrow(/deeper than 32 levels/)
  })

  it('returns a valid query as it is', () => {
    const query = {
      where: {
        title: { startsWith: 'W', ne: null, eq: undefined },
        rank: { in: [1, null], gte: 0 },
        done: false,
        tags: { contains: 'a' },
        or: [{ rank: null }, { not: { rank: { lt: 0 } } }],
        and: [],
      },
      orderBy: [
        ['rank', 'desc'],
        ['title', 'asc'],
      ],
      limit: 10,
      offset: 0,
    }
    expect(validateQuery(query, 'tasks')).toBe(query)
    expect(validateQuery({}, 'tasks')).toEqual({})
  })
})

// ---------------------------------------------------------------------------------------------
// Property: runQuery equals a straightforward reference implementation.

type Row = Record<string, unknown> & { id: number }

function refRead(item: Row, field: string): unknown {
  const value = Object.hasOwn(item, field) ? item[field] : undefined
  return value === undefined ? null : value
}

function refTest(op: string, value: unknown, operand: unknown): boolean {
  const comparable =
    (typeof value === 'number' && typeof operand === 'number') ||
    (typeof value === 'string' && typeof operand === 'string')
  const v = value as number
  const o = operand as number
  switch (op) {
    case 'eq':
      return value === operand
    case 'ne':
      return value !== operand
    case 'gt':
      return comparable && v > o
    case 'gte':
      return comparable && v >= o
    case 'lt':
      return comparable && v < o
    case 'lte':
      return comparable && v <= o
    case 'in':
      return (operand as unknown[]).some((x) => x === value)
    case 'contains':
      if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand)
      return Array.isArray(value) && value.some((x) => x === operand)
    case 'containsi': {
      // The reference folds letter by letter with a table, not a regex, to check the evaluator's rule.
      const fold = (text: string) =>
        [...text].map((c) => ('ABCDEFGHIJKLMNOPQRSTUVWXYZ'.includes(c) ? c.toLowerCase() : c)).join('')
      return typeof value === 'string' && typeof operand === 'string' && fold(value).includes(fold(operand))
    }
    case 'startsWith':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand)
    default:
      throw new Error(op)
  }
}

function refMatches(item: Row, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([key, condition]) => {
    if (condition === undefined) return true
    if (key === 'and') return (condition as Record<string, unknown>[]).every((w) => refMatches(item, w))
    if (key === 'or') return (condition as Record<string, unknown>[]).some((w) => refMatches(item, w))
    if (key === 'not') return !refMatches(item, condition as Record<string, unknown>)
    const value = refRead(item, key)
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition))
      return value === condition
    return Object.entries(condition).every(
      ([op, operand]) => operand === undefined || refTest(op, value, operand),
    )
  })
}

function refCompare(a: unknown, b: unknown): number {
  const rank = (v: unknown) =>
    v === null ? 4 : typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3
  if (rank(a) !== rank(b)) return rank(a) - rank(b)
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return (Number.isNaN(a) ? 1 : 0) - (Number.isNaN(b) ? 1 : 0)
    return a - b
  }
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0)
  return 0
}

function refRun(items: Row[], query: Query<Row>): Row[] {
  const filtered = items.filter((item) => query.where === undefined || refMatches(item, query.where))
  const orderBy = query.orderBy ?? []
  // Insertion sort: obviously stable, obviously the order asked for.
  const sorted: Row[] = []
  const paged = query.limit !== undefined || (query.offset ?? 0) > 0
  if (orderBy.length === 0 && !paged) sorted.push(...filtered)
  else
    for (const item of filtered) {
      const before = (x: Row) => {
        for (const [field, direction] of orderBy) {
          const c = refCompare(refRead(item, field), refRead(x, field))
          if (c !== 0) return (direction === 'asc' ? c : -c) < 0
        }
        return refCompare(item.id, x.id) < 0
      }
      const at = sorted.findIndex(before)
      sorted.splice(at === -1 ? sorted.length : at, 0, item)
    }
  const offset = query.offset ?? 0
  return sorted.slice(offset, query.limit === undefined ? undefined : offset + query.limit)
}

const FIELDS = ['a', 'b', 'c', 'd', 'gone'] as const
// Operands are what validateQuery accepts: NaN and Infinity are refused there (they cross JSON as
// null), so they appear only in rows.
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('', 'x', 'xy', 'y', 'Y', 'é'),
  fc.boolean(),
  fc.constant(null),
)
const row = (id: number): fc.Arbitrary<Row> =>
  fc
    .record(
      {
        a: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null), fc.constantFrom('1', 'x')),
        b: fc.oneof(fc.constantFrom('', 'x', 'xy', 'yx', 'Y'), fc.constant(null)),
        c: fc.oneof(fc.array(fc.constantFrom('x', 'y', 1), { maxLength: 3 }), fc.constantFrom('xyz', 'yy')),
        d: fc.oneof(fc.boolean(), fc.constant(Number.NaN)),
      },
      { requiredKeys: [] },
    )
    .map((fields) => ({ id, ...fields }))

const operatorObject = fc.record(
  {
    eq: scalar,
    ne: scalar,
    gt: scalar,
    gte: scalar,
    lt: scalar,
    lte: scalar,
    in: fc.array(scalar, { maxLength: 12 }),
    contains: scalar,
    containsi: fc.constantFrom('', 'x', 'X', 'Xy', 'é', 'É'),
    startsWith: fc.constantFrom('', 'x', 'y', 'Y'),
  },
  { requiredKeys: [] },
)

const fieldConditions = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(scalar, operatorObject), {
  maxKeys: 2,
})

/** Field conditions, with and/or/not nested up to `depth` levels. */
function whereOf(depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (depth === 0) return fieldConditions
  const inner = whereOf(depth - 1)
  return fc
    .tuple(
      fieldConditions,
      fc.option(fc.array(inner, { maxLength: 3 }), { freq: 3 }),
      fc.option(fc.array(inner, { maxLength: 3 }), { freq: 3 }),
      fc.option(inner, { freq: 3 }),
    )
    .map(([fields, and, or, not]) => ({
      ...fields,
      ...(and !== null && { and }),
      ...(or !== null && { or }),
      ...(not !== null && { not }),
    }))
}
const whereArbitrary = whereOf(3)

const queryArbitrary: fc.Arbitrary<Query<Row>> = fc.record(
  {
    where: whereArbitrary as fc.Arbitrary<Where<Row>>,
    orderBy: fc.array(
      fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('asc' as const, 'desc' as const)),
      {
        maxLength: 3,
      },
    ),
    limit: fc.nat(12),
    offset: fc.nat(12),
  },
  { requiredKeys: [] },
)

const rowsArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 30 })
  .chain((ids) => fc.tuple(...ids.map(row)))

describe('runQuery against a reference implementation', () => {
  it('agrees on random items and queries', () => {
    fc.assert(
      fc.property(rowsArbitrary, queryArbitrary, (items, query) => {
        expect(validateQuery(query, 'rows')).toBe(query)
        expect(runQuery(items, query, (r) => r.id)).toEqual(refRun(items, query))
        for (const item of items) {
          const expected = query.where === undefined || refMatches(item, query.where)
          expect(matches(item, query.where)).toBe(expected)
          expect(compileWhere(query.where)(item)).toBe(expected)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('cursors', () => {
  const rows = [
    { id: 'a', rank: 2, title: 'x' },
    { id: 'b', rank: 1, title: 'y' },
    { id: 'c', rank: 2, title: 'z' },
    { id: 'd', rank: null, title: 'x' },
    { id: 'e', rank: 1, title: [1] },
  ]
  type Row2 = (typeof rows)[number]
  const key = (row: Row2) => row.id
  const orderBy: Query<Row2>['orderBy'] = [['rank', 'asc']]
  const at = (id: string) => rows.find((row) => row.id === id)!
  const run = (query: Query<Row2>) =>
    runQuery(rows, validateQuery(query, 'rows') as Query<Row2>, key).map(key)

  it('after and before keep what lies past or ahead of a gap, ties ordered by key', () => {
    // Order: b(1) e(1) a(2) c(2) d(null)
    expect(run({ orderBy })).toEqual(['b', 'e', 'a', 'c', 'd'])
    const afterE = encodeCursor('rows', { orderBy }, at('e'), key, 'after')
    const beforeE = encodeCursor('rows', { orderBy }, at('e'), key, 'before')
    expect(run({ orderBy, after: afterE })).toEqual(['a', 'c', 'd'])
    expect(run({ orderBy, after: beforeE })).toEqual(['e', 'a', 'c', 'd'])
    expect(run({ orderBy, before: beforeE })).toEqual(['b'])
    expect(run({ orderBy, before: afterE })).toEqual(['b', 'e'])
    const afterC = encodeCursor('rows', { orderBy }, at('c'), key, 'after')
    expect(run({ orderBy, after: beforeE, before: afterC, limit: 2 })).toEqual(['e', 'a'])
    expect(run({ orderBy, after: afterE, offset: 1 })).toEqual(['c', 'd'])
  })

  it('orders by key alone without orderBy, and by descending fields when asked', () => {
    const afterB = encodeCursor('rows', {}, at('b'), key, 'after')
    expect(run({ after: afterB, limit: 2 })).toEqual(['c', 'd'])
    const desc: Query<Row2>['orderBy'] = [['title', 'desc']]
    // Descending: null first, then others ([1]), strings z y x (ties by key).
    expect(run({ orderBy: desc })).toEqual(['e', 'c', 'b', 'a', 'd'])
    expect(
      run({ orderBy: desc, after: encodeCursor('rows', { orderBy: desc }, at('e'), key, 'after') }),
    ).toEqual(['c', 'b', 'a', 'd'])
  })

  it('refuses a cursor that does not decode or belongs to another query, naming the store', () => {
    const cursor = encodeCursor('rows', { orderBy, where: { title: 'x' } }, at('a'), key, 'after')
    const refused = (query: unknown) => {
      try {
        validateQuery(query, 'rows')
      } catch (error) {
        expect(error).toBeInstanceOf(AtomaError)
        expect((error as AtomaError).code).toBe('VALIDATION')
        return (error as AtomaError).message
      }
      throw new Error('accepted')
    }
    expect(validateQuery({ orderBy, where: { title: 'x' }, after: cursor }, 'rows')).toBeDefined()
    // Key order in where does not matter; limit and offset do not either.
    expect(validateQuery({ where: { title: 'x' }, orderBy, limit: 3, before: cursor }, 'rows')).toBeDefined()
    expect(refused({ orderBy, after: cursor })).toMatch(/store "rows": after is a cursor of another query/)
    expect(refused({ orderBy: [['rank', 'desc']], where: { title: 'x' }, after: cursor })).toMatch(
      /another query/,
    )
    expect(() => validateQuery({ orderBy, where: { title: 'x' }, after: cursor }, 'other')).toThrow(
      /another query/,
    )
    expect(refused({ after: 'not a cursor!' })).toMatch(/after does not decode as a cursor/)
    expect(refused({ after: btoa('{"v":1}') })).toMatch(/does not decode/)
    expect(refused({ before: 42 })).toMatch(/before must be a cursor string, got 42/)
    expect(refused({ after: 'a'.repeat(9000) })).toMatch(/longer than 8192/)
    const wrongWidth = btoa(JSON.stringify({ v: 1, q: 'x', s: 'a', p: ['a'] }))
    expect(refused({ orderBy, after: wrongWidth })).toMatch(/another query/)
  })

  it('pages walked with cursors are the whole result, in order, without repeats', () => {
    const runs = Number(process.env.FC_RUNS ?? 200)
    const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }
    fc.assert(
      fc.property(
        rowsArbitrary,
        whereArbitrary,
        fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('asc' as const, 'desc' as const)), {
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 5 }),
        (items, where, order, size) => {
          const query = { where, orderBy: order } as Query<Row>
          // Everything, paged in one piece: in the order pages follow (key order without orderBy).
          const all = runQuery(items, { ...query, limit: items.length + 1 }, (r) => r.id)
          const walked: Row[] = []
          let after: string | undefined
          for (let guard = 0; guard <= items.length; guard++) {
            const page = runQuery(
              items,
              validateQuery({ ...query, limit: size, ...(after ? { after } : {}) }, 'rows') as Query<Row>,
              (r) => r.id,
            )
            walked.push(...page)
            const last = page.at(-1)
            if (page.length < size || last === undefined) break
            // The page's own bounds select exactly it.
            const first = page[0]!
            const bounded = runQuery(
              items,
              {
                ...query,
                after: encodeCursor('rows', query, first, (r) => r.id, 'before'),
                before: encodeCursor('rows', query, last, (r) => r.id, 'after'),
              },
              (r) => r.id,
            )
            expect(bounded).toEqual(page)
            after = encodeCursor('rows', query, last, (r) => r.id, 'after')
          }
          expect(walked).toEqual(all)
        },
      ),
      { numRuns: runs, ...seed },
    )
  })
})
