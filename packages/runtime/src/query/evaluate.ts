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
const QUERY_KEYS: ReadonlySet<string> = new Set(['where', 'orderBy', 'limit', 'offset'])
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

/**
 * The comparator for `orderBy`: fields in order, `null` last ascending and first descending,
 * then the entity key ascending, so the order is total and the same on every backend.
 */
export function compareBy<T>(orderBy: Query<T>['orderBy'], keyOf: (item: T) => Id): (a: T, b: T) => number {
  const keys = (orderBy ?? []).map(([field, direction]) => {
    if (direction !== 'asc' && direction !== 'desc') {
      throw malformed(`orderBy direction for "${field}" must be "asc" or "desc"`)
    }
    return { read: reader(field), sign: direction === 'desc' ? -1 : 1 }
  })
  return (a, b) => {
    for (const { read, sign } of keys) {
      const order = compareValues(read(a), read(b))
      if (order !== 0) return order * sign
    }
    return compareValues(keyOf(a), keyOf(b))
  }
}

/**
 * Filters, sorts (stably: by `orderBy`, then key; without `orderBy` the input order stays), then
 * skips `offset` and takes `limit`. Without `orderBy`, the scan stops once `limit` items match.
 */
export function runQuery<T>(items: Iterable<T>, query: Query<T>, keyOf: (item: T) => Id): T[] {
  const test = compileWhere(query.where)
  const offset = query.offset ?? 0
  const limit = query.limit ?? Number.POSITIVE_INFINITY
  const out: T[] = []
  if (query.orderBy === undefined || query.orderBy.length === 0) {
    if (limit <= 0) return out
    let skip = offset
    for (const item of items) {
      if (!test(item)) continue
      if (skip > 0) skip--
      else if (out.push(item) >= limit) break
    }
    return out
  }
  for (const item of items) if (test(item)) out.push(item)
  out.sort(compareBy(query.orderBy, keyOf))
  return offset === 0 && limit >= out.length ? out : out.slice(offset, offset + limit)
}

// ---------------------------------------------------------------------------------------------
// Validating

/**
 * Checks a query from outside (the wire, a plugin, user input) against the language, returning
 * it typed, or throws `VALIDATION` naming the store and the offending part.
 */
export function validateQuery(query: unknown, store: string): Query {
  const problem = queryProblem(query)
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

function queryProblem(query: unknown): string | undefined {
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
