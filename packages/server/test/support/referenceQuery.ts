import type { Query, Scalar } from '@atoma/runtime/protocol'

/**
 * The query semantics of packages/runtime/src/query/types.ts written out plainly in
 * JavaScript, as the oracle the SQL translation is checked against. Strings compare with `<`,
 * which equals code-point order (COLLATE "C") for the BMP-only strings the tests generate.
 * `orderBy` sorts by type whatever the declared type: numbers, strings, booleans, anything else
 * (equal among themselves), then null.
 */
type Item = Record<string, unknown>

export function referenceQuery(items: readonly Item[], query: Query, key: string): Item[] {
  const matching = items.filter((item) => query.where === undefined || matches(item, query.where))
  const sorted = [...matching].sort((a, b) => {
    for (const [field, direction] of query.orderBy ?? []) {
      const order = compareForSort(read(a, field), read(b, field), direction)
      if (order !== 0) return order
    }
    return compareKeys(a[key], b[key])
  })
  const offset = query.offset ?? 0
  return sorted.slice(offset, query.limit === undefined ? undefined : offset + query.limit)
}

function read(item: Item, field: string): unknown {
  return item[field] === undefined ? null : item[field]
}

function matches(item: Item, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([name, condition]) => {
    if (name === 'and') return (condition as Record<string, unknown>[]).every((part) => matches(item, part))
    if (name === 'or') return (condition as Record<string, unknown>[]).some((part) => matches(item, part))
    if (name === 'not') return !matches(item, condition as Record<string, unknown>)
    const value = read(item, name)
    if (condition === null || typeof condition !== 'object') return value === condition
    return Object.entries(condition).every(([op, operand]) => test(value, op, operand))
  })
}

function test(value: unknown, op: string, operand: unknown): boolean {
  switch (op) {
    case 'eq':
      return value === operand
    case 'ne':
      return value !== operand
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const comparable =
        (typeof value === 'number' && typeof operand === 'number') ||
        (typeof value === 'string' && typeof operand === 'string')
      if (!comparable) return false
      const [a, b] = [value as number | string, operand as number | string]
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b
    }
    case 'in':
      return (operand as Scalar[]).some((candidate) => candidate === value)
    case 'contains':
      if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand)
      return Array.isArray(value) && value.some((element) => element === operand)
    case 'containsi':
      return typeof value === 'string' && foldAscii(value).includes(foldAscii(operand as string))
    case 'startsWith':
      return typeof value === 'string' && value.startsWith(operand as string)
    default:
      throw new Error(`unknown operator ${op}`)
  }
}

/** A–Z to a–z, letter by letter from a table; every other character stays as it is. */
function foldAscii(text: string): string {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  return [...text]
    .map((c) => (upper.includes(c) ? 'abcdefghijklmnopqrstuvwxyz'[upper.indexOf(c)] : c))
    .join('')
}

/** numbers, strings, booleans, anything else, null. */
function typeRank(value: unknown): number {
  if (typeof value === 'number') return 0
  if (typeof value === 'string') return 1
  if (typeof value === 'boolean') return 2
  return value === null ? 4 : 3
}

function compareForSort(a: unknown, b: unknown, direction: 'asc' | 'desc'): number {
  const [ra, rb] = [typeRank(a), typeRank(b)]
  let order = ra - rb
  if (order === 0 && ra <= 1) order = compareKeys(a, b)
  else if (order === 0 && ra === 2) order = Number(a) - Number(b)
  return direction === 'asc' ? order : -order
}

/** Numbers before strings; numbers numerically, strings by code point. */
function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  const [x, y] = [String(a), String(b)]
  return x < y ? -1 : x > y ? 1 : 0
}
