import { AtomaError } from '../errors.js'
import { type Id, OPERATORS, type Operator, type Query, type Where } from './types.js'

/**
 * The local query evaluator: the semantics at the top of `types.ts`, applied to items in memory.
 * `matches` interprets a `where` directly and allocates nothing, for one-off checks;
 * `compileWhere` turns it into a predicate once, for scans (`runQuery` uses it). Both read the
 * operator semantics from one table, `TESTS`.
 *
 * Where the language's comment is silent, this module decides:
 * - a field condition or operand that is `undefined` is no condition at all — as when the query
 *   crosses the wire as JSON, which drops it. A plain object is an operator object (`{}` asks
 *   nothing); other values compare with `===`.
 * - a field is `item[name]`, except that names `Object.prototype` defines count only as own
 *   properties, so a missing `toString` reads `null` rather than a function.
 * - `orderBy` over mixed types sorts numbers, then strings, then booleans (false first), then
 *   anything else (unordered among itself), then `null`; NaN sorts after all other numbers. Entity
 *   keys break ties in the same order, numbers before strings.
 */

type Conditions = Readonly<Record<string, unknown>>
type Predicate = (item: unknown) => boolean
type Test = (value: unknown, operand: unknown) => boolean

const FORBIDDEN_FIELDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))
const QUERY_KEYS: ReadonlySet<string> = new Set(['where', 'orderBy', 'limit', 'offset', 'after', 'before'])
/** Lists longer than this are looked up through a `Set` by compiled predicates. */
const SET_LOOKUP_AFTER = 8
/** How deep `and`/`or`/`not` may nest in a query from outside, so validation cannot overflow the stack. */
const MAX_NESTING = 32

const TRUE: Predicate = () => true
const FALSE: Predicate = () => false

/** -1, 0 or 1 for two numbers or two strings; NaN when they do not compare (other types, NaN). */
function relate(a: unknown, b: unknown): number {
  if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) {
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN
  }
  return Number.NaN
}

function includes(list: unknown, value: unknown): boolean {
  return Array.isArray(list) && list.indexOf(value) !== -1
}

/** Each operator's meaning, for a field's value (missing: null) and the operand. */
const TESTS: Readonly<Record<Operator, Test>> = {
  eq: (value, operand) => value === operand,
  ne: (value, operand) => value !== operand,
  gt: (value, operand) => relate(value, operand) > 0,
  gte: (value, operand) => relate(value, operand) >= 0,
  lt: (value, operand) => relate(value, operand) < 0,
  lte: (value, operand) => relate(value, operand) <= 0,
  in: (value, operand) => includes(operand, value),
  contains: (value, operand) =>
    typeof value === 'string'
      ? typeof operand === 'string' && value.includes(operand)
      : includes(value, operand),
  containsi: (value, operand) =>
    typeof value === 'string' && typeof operand === 'string' && foldAscii(value).includes(foldAscii(operand)),
  startsWith: (value, operand) =>
    typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand),
}

function isPlainObject(value: unknown): value is Conditions {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** A–Z to a–z and nothing else: the one case rule SQL's `lower()` under `COLLATE "C"` shares. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32))
}

/** Numbers must be finite: JSON carries Infinity and NaN as null, so a server would match something else. */
function isScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean'
  )
}

function readField(item: unknown, field: string): unknown {
  if (typeof item !== 'object' || item === null) return null
  if (PROTOTYPE_NAMES.has(field) && !Object.hasOwn(item, field)) return null
  const value: unknown = (item as Conditions)[field]
  return value === undefined ? null : value
}

function testFor(op: string, field: string): Test {
  if (!Object.hasOwn(TESTS, op)) throw malformed(`unknown operator "${op}" on field "${field}"`)
  return TESTS[op as Operator]
}

function malformed(problem: string): AtomaError {
  return new AtomaError('VALIDATION', `Invalid query: ${problem}`)
}

function asList(value: unknown, key: string): readonly unknown[] {
  if (!Array.isArray(value)) throw malformed(`"${key}" must be an array`)
  return value
}

function asConditions(value: unknown, key: string): Conditions {
  if (!isPlainObject(value)) throw malformed(`"${key}" must be a plain object`)
  return value
}

// ---------------------------------------------------------------------------------------------
// Interpreting

/** Whether `item` satisfies `where` (no `where`: every item). */
export function matches<T>(item: T, where: Where<T> | undefined): boolean {
  return where === undefined || matchWhere(item, asConditions(where, 'where'))
}

function matchWhere(item: unknown, where: Conditions): boolean {
  for (const key in where) {
    const condition = where[key]
    if (condition === undefined) continue
    if (key === 'and') {
      for (const part of asList(condition, key)) if (!matchWhere(item, asConditions(part, key))) return false
    } else if (key === 'or') {
      if (!matchAny(item, asList(condition, key))) return false
    } else if (key === 'not') {
      if (matchWhere(item, asConditions(condition, key))) return false
    } else if (!matchField(readField(item, key), condition, key)) {
      return false
    }
  }
  return true
}

function matchAny(item: unknown, parts: readonly unknown[]): boolean {
  for (const part of parts) if (matchWhere(item, asConditions(part, 'or'))) return true
  return false
}

function matchField(value: unknown, condition: unknown, field: string): boolean {
  if (!isPlainObject(condition)) return value === condition
  for (const op in condition) {
    const operand = condition[op]
    if (operand !== undefined && !testFor(op, field)(value, operand)) return false
  }
  return true
}

// ---------------------------------------------------------------------------------------------
// Compiling

/** `where` as a predicate, built once; throws `VALIDATION` on what it cannot interpret. */
export function compileWhere<T>(where: Where<T> | undefined): (item: T) => boolean {
  return where === undefined ? TRUE : compileConditions(asConditions(where, 'where'))
}

function compileConditions(where: Conditions): Predicate {
  const parts: Predicate[] = []
  for (const [key, condition] of Object.entries(where)) {
    if (condition === undefined) continue
    if (key === 'and')
      parts.push(allOf(asList(condition, key).map((w) => compileConditions(asConditions(w, key)))))
    else if (key === 'or')
      parts.push(anyOf(asList(condition, key).map((w) => compileConditions(asConditions(w, key)))))
    else if (key === 'not') parts.push(negate(compileConditions(asConditions(condition, key))))
    else parts.push(compileField(key, condition))
  }
  return allOf(parts)
}

function allOf(parts: readonly Predicate[]): Predicate {
  const [first, second] = parts
  if (first === undefined) return TRUE
  if (parts.length === 1) return first
  if (parts.length === 2 && second !== undefined) return (item) => first(item) && second(item)
  return (item) => {
    for (const part of parts) if (!part(item)) return false
    return true
  }
}

function anyOf(parts: readonly Predicate[]): Predicate {
  const [first] = parts
  if (first === undefined) return FALSE
  if (parts.length === 1) return first
  return (item) => {
    for (const part of parts) if (part(item)) return true
    return false
  }
}

function negate(predicate: Predicate): Predicate {
  return (item) => !predicate(item)
}

function reader(field: string): (item: unknown) => unknown {
  if (PROTOTYPE_NAMES.has(field)) return (item) => readField(item, field)
  return (item) => {
    if (typeof item !== 'object' || item === null) return null
    const value: unknown = (item as Conditions)[field]
    return value === undefined ? null : value
  }
}

function compileField(field: string, condition: unknown): Predicate {
  const read = reader(field)
  if (!isPlainObject(condition)) return (item) => read(item) === condition
  const tests: ((value: unknown) => boolean)[] = []
  for (const [op, operand] of Object.entries(condition)) {
    if (operand === undefined) continue
    const test = testFor(op, field)
    if (op === 'in' && Array.isArray(operand) && operand.length > SET_LOOKUP_AFTER) {
      // A Set matches NaN to NaN; `===`, which `in` means, never does.
      const set = new Set<unknown>(operand)
      tests.push((value) => set.has(value) && !Number.isNaN(value))
    } else {
      tests.push((value) => test(value, operand))
    }
  }
  const [only] = tests
  if (only === undefined) return TRUE
  if (tests.length === 1) return (item) => only(read(item))
  return (item) => {
    const value = read(item)
    for (const test of tests) if (!test(value)) return false
    return true
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering

/** Sort rank by type: numbers, strings, booleans, anything else, then null (missing). */
function rank(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return 0
    case 'string':
      return 1
    case 'boolean':
      return 2
    default:
      return value === null || value === undefined ? 4 : 3
  }
}

/** A total order over field values and keys; `null` is greatest, so last ascending. */
function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b))
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  return 0
}

interface SortKey {
  read: (item: unknown) => unknown
  sign: number
}

function sortKeys(orderBy: Query['orderBy']): SortKey[] {
  return (orderBy ?? []).map(([field, direction]) => {
    if (direction !== 'asc' && direction !== 'desc') {
      throw malformed(`orderBy direction for "${field}" must be "asc" or "desc"`)
    }
    return { read: reader(field), sign: direction === 'desc' ? -1 : 1 }
  })
}

/**
 * The comparator for `orderBy`: fields in order, `null` last ascending and first descending,
 * then the entity key ascending, so the order is total and the same on every backend.
 */
export function compareBy<T>(orderBy: Query<T>['orderBy'], keyOf: (item: T) => Id): (a: T, b: T) => number {
  const keys = sortKeys(orderBy as Query['orderBy'])
  return (a, b) => {
    for (const { read, sign } of keys) {
      const order = compareValues(read(a), read(b))
      if (order !== 0) return order * sign
    }
    return compareValues(keyOf(a), keyOf(b))
  }
}

/** Whether the query asks for a part of its result (a page), which makes its order matter. */
export function isPaged<T>(query: Query<T>): boolean {
  return (
    query.limit !== undefined ||
    (query.offset !== undefined && query.offset > 0) ||
    query.after !== undefined ||
    query.before !== undefined
  )
}

/**
 * Filters, keeps what lies between the cursors, sorts (stably: by `orderBy`, then key), then
 * skips `offset` and takes `limit`. A query that is not paged and has no `orderBy` keeps the
 * input order (nothing to sort); a paged one without `orderBy` is in key order, the order every
 * backend pages in.
 */
export function runQuery<T>(items: Iterable<T>, query: Query<T>, keyOf: (item: T) => Id): T[] {
  const test = compileWhere(query.where)
  const within = cursorTest(query as Query, keyOf as (item: unknown) => Id)
  const out: T[] = []
  for (const item of items) if (test(item) && within(item)) out.push(item)
  if ((query.orderBy === undefined || query.orderBy.length === 0) && !isPaged(query)) return out
  const offset = query.offset ?? 0
  const limit = query.limit ?? Number.POSITIVE_INFINITY
  out.sort(compareBy(query.orderBy, keyOf))
  return offset === 0 && limit >= out.length ? out : out.slice(offset, offset + limit)
}

// ---------------------------------------------------------------------------------------------
// Cursors

/**
 * A cursor names a gap in a query's order: just after (`a`) or just before (`b`) one position,
 * a position being an item's `orderBy` values then its key (the order is total). `after: c` keeps
 * the items past the gap, `before: c` those ahead of it, so consecutive pages bounded by the same
 * gap never share an item nor miss one. A node answers a page with the gap after its last item
 * (`meta.cursor`, when more follow); `QueryResult.view` bounds a page by the gap before its first
 * item and the one after its last.
 *
 * Opaque to callers, and the same for every backend (the server decodes what the runtime made and
 * the other way round): base64url (no padding) of the UTF-8 JSON
 * `{"v":1,"q":<fingerprint>,"s":"a"|"b","p":[...values, key]}`. A value that is not a string, a
 * finite number, a boolean or null is written `{"n":"NaN"}` (or `Infinity`, `-Infinity`) for a
 * number and `{}` otherwise (an array, an object: such values sort among themselves as equal, so
 * only the key orders them). `q` is `fingerprint(store, query)`, so a
 * cursor is refused (`VALIDATION`) by a query of another store, `where` or `orderBy`.
 */
export interface Cursor {
  /** `a`: the gap just after `position`; `b`: just before it. */
  side: 'a' | 'b'
  /** The `orderBy` values, then the key. */
  position: readonly unknown[]
}

/** Longer cursors are refused before they are decoded (a cursor carries one item's sort values). */
const MAX_CURSOR_LENGTH = 8192

/**
 * What a cursor is bound to: a 53-bit hash (cyrb53, base 36) of the JSON, keys sorted and
 * `undefined` dropped, of `[store, where ?? null, orderBy ?? []]`. Not a secret: it tells queries
 * apart, it proves nothing.
 */
export function fingerprint<T>(store: string, query: Query<T>): string {
  return hash53(canonicalJson([store, query.where ?? null, query.orderBy ?? []]))
}

/** The cursor of the gap `side` the item (`after` it or `before` it), for this store and query. */
export function encodeCursor<T>(
  store: string,
  query: Query<T>,
  item: T,
  keyOf: (item: T) => Id,
  side: 'after' | 'before',
): string {
  const values = sortKeys(query.orderBy as Query['orderBy']).map(({ read }) => encodeValue(read(item)))
  const cursor = {
    v: 1,
    q: fingerprint(store, query),
    s: side === 'after' ? 'a' : 'b',
    p: [...values, keyOf(item)],
  }
  return toBase64Url(JSON.stringify(cursor))
}

/**
 * The cursor `value` of `query`, or what is wrong with it (with `store`, also that it was made for
 * that store and the query's `where` and `orderBy`). For backends that check cursors themselves.
 */
export function decodeCursor(value: unknown, query: Query, store: string | undefined): Cursor | string {
  if (typeof value !== 'string') return `must be a cursor string, got ${describe(value)}`
  if (value.length > MAX_CURSOR_LENGTH) return `is longer than ${MAX_CURSOR_LENGTH} characters`
  const text = fromBase64Url(value)
  let parsed: unknown
  try {
    parsed = text === undefined ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const cursor = parsed as { v?: unknown; q?: unknown; s?: unknown; p?: unknown } | undefined
  const width = (query.orderBy?.length ?? 0) + 1
  if (
    !isPlainObject(cursor) ||
    cursor.v !== 1 ||
    typeof cursor.q !== 'string' ||
    (cursor.s !== 'a' && cursor.s !== 'b') ||
    !Array.isArray(cursor.p)
  )
    return 'does not decode as a cursor'
  const position = cursor.p.map(decodeValue)
  if (position.includes(INVALID)) return 'does not decode as a cursor'
  const key: unknown = position.at(-1)
  if (
    cursor.p.length !== width ||
    !((typeof key === 'string' && key.length > 0) || (typeof key === 'number' && Number.isFinite(key))) ||
    (store !== undefined && cursor.q !== fingerprint(store, query))
  )
    return 'is a cursor of another query (cursors belong to one store, where and orderBy)'
  return { side: cursor.s, position }
}

const INVALID = Symbol('invalid')
const NON_FINITE: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity'])

/** A sort value as JSON: scalars as they are, other numbers `{"n":"NaN"}`, anything else `{}`. */
function encodeValue(value: unknown): unknown {
  if (isScalar(value)) return value
  if (typeof value === 'number') return { n: String(value) }
  return {}
}

function decodeValue(part: unknown): unknown {
  if (isScalar(part)) return part
  if (!isPlainObject(part)) return INVALID
  const keys = Object.keys(part)
  if (keys.length === 0) return part
  return keys.length === 1 && typeof part.n === 'string' && NON_FINITE.has(part.n) ? Number(part.n) : INVALID
}

/** The predicate of `after` and `before`: items strictly past / ahead of their gaps. */
function cursorTest(query: Query, keyOf: (item: unknown) => Id): Predicate {
  if (query.after === undefined && query.before === undefined) return TRUE
  const keys = sortKeys(query.orderBy)
  const compare = (item: unknown, position: readonly unknown[]): number => {
    for (let i = 0; i < keys.length; i++) {
      const { read, sign } = keys[i]!
      const order = compareValues(read(item), position[i])
      if (order !== 0) return order * sign
    }
    return compareValues(keyOf(item), position[keys.length])
  }
  const bound = (name: 'after' | 'before'): Cursor | undefined => {
    if (query[name] === undefined) return undefined
    const cursor = decodeCursor(query[name], query, undefined)
    if (typeof cursor === 'string') throw malformed(`${name} ${cursor}`)
    return cursor
  }
  const after = bound('after')
  const before = bound('before')
  return (item) => {
    if (after) {
      const order = compare(item, after.position)
      if (order < 0 || (order === 0 && after.side === 'a')) return false
    }
    if (before) {
      const order = compare(item, before.position)
      if (order > 0 || (order === 0 && before.side === 'b')) return false
    }
    return true
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => {
    if (!isPlainObject(field)) return field
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(field).sort()) sorted[key] = field[key]
    return sorted
  })
}

function hash53(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

function toBase64Url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Validating

/**
 * Checks a query from outside (the wire, a plugin, user input) against the language, returning
 * it typed, or throws `VALIDATION` naming the store and the offending part.
 */
export function validateQuery(query: unknown, store: string): Query {
  const problem = queryProblem(query, store)
  if (problem !== undefined) {
    throw new AtomaError('VALIDATION', `Invalid query for store "${store}": ${problem}`, { store })
  }
  return query as Query
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'function') return 'a function'
  return String(value)
}

function queryProblem(query: unknown, store: string): string | undefined {
  if (!isPlainObject(query)) return `the query must be a plain object, got ${describe(query)}`
  for (const key of Object.keys(query)) {
    if (!QUERY_KEYS.has(key)) return `unknown query key "${key}"`
  }
  const { where, orderBy, limit, offset } = query
  if (where !== undefined) {
    const problem = whereProblem(where, 'where', 0)
    if (problem !== undefined) return problem
  }
  if (orderBy !== undefined) {
    const problem = orderByProblem(orderBy)
    if (problem !== undefined) return problem
  }
  for (const [name, value] of [
    ['limit', limit],
    ['offset', offset],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
      return `${name} must be a non-negative integer, got ${describe(value)}`
    }
  }
  for (const name of ['after', 'before'] as const) {
    if (query[name] === undefined) continue
    const cursor = decodeCursor(query[name], query as Query, store)
    if (typeof cursor === 'string') return `${name} ${cursor}`
  }
  return undefined
}

function whereProblem(where: unknown, path: string, depth: number): string | undefined {
  if (!isPlainObject(where)) return `${path} must be a plain object, got ${describe(where)}`
  if (depth > MAX_NESTING) return `${path} nests and/or/not deeper than ${MAX_NESTING} levels`
  for (const [key, condition] of Object.entries(where)) {
    if (condition === undefined) continue
    const at = `${path}.${key}`
    let problem: string | undefined
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(condition)) return `${at} must be an array, got ${describe(condition)}`
      for (let i = 0; i < condition.length && problem === undefined; i++) {
        problem = whereProblem(condition[i], `${at}[${i}]`, depth + 1)
      }
    } else if (key === 'not') {
      problem = whereProblem(condition, at, depth + 1)
    } else if (FORBIDDEN_FIELDS.has(key)) {
      problem = `${at}: "${key}" is not allowed as a field name`
    } else {
      problem = conditionProblem(condition, at)
    }
    if (problem !== undefined) return problem
  }
  return undefined
}

function conditionProblem(condition: unknown, at: string): string | undefined {
  if (isScalar(condition)) return undefined
  if (!isPlainObject(condition)) {
    return `${at} must be a string, a finite number, a boolean, null or an operator object, got ${describe(condition)}`
  }
  for (const [op, operand] of Object.entries(condition)) {
    if (operand === undefined) continue
    if (!(OPERATORS as readonly string[]).includes(op)) return `${at}: unknown operator "${op}"`
    if (op === 'in') {
      if (!Array.isArray(operand)) return `${at}.in must be an array, got ${describe(operand)}`
      const index = operand.findIndex((element) => !isScalar(element))
      if (index !== -1) return `${at}.in[${index}] must be a string, a finite number, a boolean or null`
    } else if (op === 'startsWith' || op === 'containsi') {
      if (typeof operand !== 'string') return `${at}.${op} must be a string, got ${describe(operand)}`
    } else if (!isScalar(operand)) {
      return `${at}.${op} must be a string, a finite number, a boolean or null, got ${describe(operand)}`
    }
  }
  return undefined
}

function orderByProblem(orderBy: unknown): string | undefined {
  if (!Array.isArray(orderBy)) return `orderBy must be an array, got ${describe(orderBy)}`
  for (const [i, clause] of orderBy.entries()) {
    const at = `orderBy[${i}]`
    if (!Array.isArray(clause) || clause.length !== 2) return `${at} must be a [field, direction] pair`
    const [field, direction] = clause
    if (typeof field !== 'string') return `${at}: the field must be a string, got ${describe(field)}`
    if (FORBIDDEN_FIELDS.has(field)) return `${at}: "${field}" is not allowed as a field name`
    if (direction !== 'asc' && direction !== 'desc') {
      return `${at}: the direction must be "asc" or "desc", got ${describe(direction)}`
    }
  }
  return undefined
}
