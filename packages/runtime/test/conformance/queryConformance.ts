import type { NodeQueryResult, Patch, Query, Where } from '@atoma/runtime'
import { beforeEach, expect, it } from 'vitest'
import { entry, type Harness, idOf, isAbortLike } from './harness.js'

const PEOPLE = 'people'

/**
 * Every operator's edge is here: a missing `city` (p4) and a `null` age (p3) read as null,
 * p6 has no `active`; names mix cases and a non-ASCII letter so that code-unit order differs
 * from locale order; ages tie (36, 41) and cities tie (London) so that ties need the key.
 */
const people = [
  { id: 'p1', name: 'Ada', age: 36, city: 'London', tags: ['math', 'code'], active: true },
  { id: 'p2', name: 'alan', age: 41, city: 'London', tags: ['code'], active: false },
  { id: 'p3', name: 'Grace', age: null, city: 'NYC', tags: [], active: true },
  { id: 'p4', name: 'Linus', age: 28, tags: ['code', 'kernel'], active: false },
  { id: 'p5', name: 'Barbara', age: 41, city: 'Boston', tags: ['math'], active: true },
  { id: 'p6', name: 'Édith', age: 36, city: 'Paris', tags: ['music'] },
]
/** Not in key order, so that a backend returning insertion order cannot pass the tie tests. */
const insertionOrder = ['p5', 'p2', 'p6', 'p1', 'p4', 'p3']

const ids = (result: NodeQueryResult) => result.items.map(idOf)
/** For queries without `orderBy`, whose order no backend promises. */
const idSet = (result: NodeQueryResult) => ids(result).map(String).sort()

export function describeQueryConformance(backend: Harness): void {
  beforeEach(async () => {
    const entries = insertionOrder.map((id) =>
      entry('create', id, { value: people.find((p) => p.id === id) }),
    )
    const { status } = await backend.write(PEOPLE, ...entries)
    expect(status).toBe('confirmed')
  })

  it.each<[string, Where, string[]]>([
    ['no condition', {}, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
    ['field equality', { city: 'London' }, ['p1', 'p2']],
    ['eq', { city: { eq: 'London' } }, ['p1', 'p2']],
    ['equality with null (missing field)', { city: null }, ['p4']],
    ['equality with null (null field)', { age: null }, ['p3']],
    ['eq null', { age: { eq: null } }, ['p3']],
    ['boolean equality', { active: true }, ['p1', 'p3', 'p5']],
    ['boolean equality (false)', { active: false }, ['p2', 'p4']],
    ['ne matches null and missing', { city: { ne: 'London' } }, ['p3', 'p4', 'p5', 'p6']],
    ['ne on a boolean matches a missing field', { active: { ne: true } }, ['p2', 'p4', 'p6']],
    ['ne null', { city: { ne: null } }, ['p1', 'p2', 'p3', 'p5', 'p6']],
    ['gt on numbers (null never compares)', { age: { gt: 36 } }, ['p2', 'p5']],
    ['gte', { age: { gte: 36 } }, ['p1', 'p2', 'p5', 'p6']],
    ['lt', { age: { lt: 36 } }, ['p4']],
    ['lte', { age: { lte: 36 } }, ['p1', 'p4', 'p6']],
    ['two operators on one field', { age: { gte: 30, lt: 41 } }, ['p1', 'p6']],
    ['gt on strings, by code point', { name: { gt: 'Grace' } }, ['p2', 'p4', 'p6']],
    ['lt on strings', { name: { lt: 'B' } }, ['p1']],
    ['lte on strings', { name: { lte: 'Barbara' } }, ['p1', 'p5']],
    ['in', { city: { in: ['Boston', 'NYC'] } }, ['p3', 'p5']],
    ['in with null', { city: { in: ['Paris', null] } }, ['p4', 'p6']],
    ['in on numbers', { age: { in: [28, 41] } }, ['p2', 'p4', 'p5']],
    ['in an empty list', { age: { in: [] } }, []],
    ['contains a substring, case-sensitive', { name: { contains: 'a' } }, ['p1', 'p2', 'p3', 'p5']],
    ['contains an upper-case substring', { name: { contains: 'A' } }, ['p1']],
    ['contains an array element', { tags: { contains: 'code' } }, ['p1', 'p2', 'p4']],
    ['contains is element equality on arrays', { tags: { contains: 'mat' } }, []],
    ['startsWith, case-sensitive', { name: { startsWith: 'A' } }, ['p1']],
    ['startsWith lower case', { name: { startsWith: 'a' } }, ['p2']],
    ['startsWith never matches null', { city: { startsWith: '' } }, ['p1', 'p2', 'p3', 'p5', 'p6']],
    ['several fields', { city: 'London', age: 41 }, ['p2']],
    ['and', { and: [{ age: { gte: 36 } }, { tags: { contains: 'math' } }] }, ['p1', 'p5']],
    ['or', { or: [{ city: 'NYC' }, { age: { lt: 30 } }] }, ['p3', 'p4']],
    ['not (a missing field is not equal)', { not: { city: 'London' } }, ['p3', 'p4', 'p5', 'p6']],
    [
      'nested and/or/not',
      { or: [{ and: [{ city: 'London' }, { not: { age: 41 } }] }, { name: { startsWith: 'G' } }] },
      ['p1', 'p3'],
    ],
  ])('where: %s', async (_, where, expected) => {
    expect(idSet(await backend.query(PEOPLE, { where }))).toEqual(expected)
  })

  it.each<[NonNullable<Query['orderBy']>, string[]]>([
    [[['age', 'asc']], ['p4', 'p1', 'p6', 'p2', 'p5', 'p3']],
    [[['age', 'desc']], ['p3', 'p2', 'p5', 'p1', 'p6', 'p4']],
    [[['name', 'asc']], ['p1', 'p5', 'p3', 'p4', 'p2', 'p6']],
    [[['city', 'desc']], ['p4', 'p6', 'p3', 'p1', 'p2', 'p5']],
    [[['active', 'asc']], ['p2', 'p4', 'p1', 'p3', 'p5', 'p6']],
    [
      [
        ['city', 'asc'],
        ['age', 'desc'],
      ],
      ['p5', 'p2', 'p1', 'p3', 'p6', 'p4'],
    ],
    [
      [
        ['active', 'desc'],
        ['name', 'asc'],
      ],
      ['p6', 'p1', 'p5', 'p3', 'p4', 'p2'],
    ],
  ])('orderBy %j: null last ascending and first descending, ties by key', async (orderBy, expected) => {
    expect(ids(await backend.query(PEOPLE, { orderBy }))).toEqual(expected)
  })

  it.each<[string, Query, string[]]>([
    ['limit', { orderBy: [['age', 'asc']], limit: 2 }, ['p4', 'p1']],
    ['offset', { orderBy: [['age', 'asc']], offset: 4 }, ['p5', 'p3']],
    ['offset then limit', { orderBy: [['age', 'asc']], offset: 1, limit: 3 }, ['p1', 'p6', 'p2']],
    ['an offset past the end', { orderBy: [['age', 'asc']], offset: 10 }, []],
    ['limit 0', { orderBy: [['age', 'asc']], limit: 0 }, []],
    [
      'filter, order, then page',
      { where: { city: { ne: null } }, orderBy: [['name', 'desc']], offset: 1, limit: 2 },
      ['p2', 'p3'],
    ],
  ])('paging: %s', async (_, query, expected) => {
    expect(ids(await backend.query(PEOPLE, query))).toEqual(expected)
  })

  it.each<[string, Query, string[]]>([
    [
      'age desc, name asc (nulls, ties)',
      {
        orderBy: [
          ['age', 'desc'],
          ['name', 'asc'],
        ],
        limit: 2,
      },
      ['p3', 'p5', 'p2', 'p1', 'p6', 'p4'],
    ],
    [
      'city asc (a missing field), filtered',
      { where: { name: { ne: 'Ada' } }, orderBy: [['city', 'asc']], limit: 2 },
      ['p5', 'p2', 'p3', 'p6', 'p4'],
    ],
    ['no orderBy (key order)', { limit: 4 }, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
  ])('cursors: pages by %s follow each other without a repeat or a gap', async (_, query, expected) => {
    const seen: unknown[] = []
    let after: string | undefined
    for (let pages = 0; pages <= expected.length; pages++) {
      const page = await backend.query(PEOPLE, after === undefined ? query : { ...query, after })
      seen.push(...ids(page))
      // Only a page that more items follow answers a cursor, and such a page is full.
      if (page.cursor !== undefined) expect(page.items).toHaveLength(query.limit as number)
      if (page.cursor === undefined) break
      after = page.cursor
    }
    expect(seen).toEqual(expected)
  })

  it('cursors: before keeps what lies ahead of the gap; a cursor of another query is VALIDATION', async () => {
    const query: Query = { orderBy: [['age', 'asc']], limit: 3 }
    const first = await backend.query(PEOPLE, query)
    expect(ids(first)).toEqual(['p4', 'p1', 'p6'])
    const cursor = first.cursor as string
    expect(ids(await backend.query(PEOPLE, { orderBy: query.orderBy, before: cursor }))).toEqual([
      'p4',
      'p1',
      'p6',
    ])
    expect(ids(await backend.query(PEOPLE, { orderBy: query.orderBy, after: cursor }))).toEqual([
      'p2',
      'p5',
      'p3',
    ])
    await expect(backend.query(PEOPLE, { orderBy: [['age', 'desc']], after: cursor })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await expect(backend.query(PEOPLE, { ...query, after: 'not a cursor' })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
  })

  it('reports the version of each returned item', async () => {
    const patches: Patch[] = [{ op: 'replace', path: ['age'], value: 37 }]
    await backend.apply(PEOPLE, entry('patch', 'p1', { patches, value: { ...people[0], age: 37 } }))
    const { versions } = await backend.query(PEOPLE, { where: { city: 'London' } })
    // Inserted p5, p2, p6, p1, p4, p3: versions 1 to 6 of the store's sequence; the patch takes 7.
    expect(versions).toEqual(
      new Map([
        ['p1', 7],
        ['p2', 2],
      ]),
    )
  })

  it('rejects a malformed query as VALIDATION', async () => {
    const malformed = { where: { age: { between: [1, 2] } } } as unknown as Query
    await expect(backend.query(PEOPLE, malformed)).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('rejects with an aborted signal', async () => {
    await expect(backend.aborted.query(PEOPLE)).rejects.toSatisfy(isAbortLike)
  })
}
