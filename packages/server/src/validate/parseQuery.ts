import { type Cursor, decodeCursor } from '@atoma/runtime'
import type { Query, Scalar } from '@atoma/runtime/protocol'
import type { Collection, FieldType } from '../collections.js'
import { quote, validationFailure } from '../errors.js'
import { isPlainObject, isScalar, isStorableText, unknownProperty } from './json.js'

/** The key is queryable like a declared field; its values are strings or numbers. */
export type QueryFieldType = FieldType | 'key'

export interface FieldRef {
  readonly name: string
  readonly type: QueryFieldType
  /** A path into nested objects instead of the top-level field `name` (principal conditions: `claims.role`). */
  readonly path?: readonly string[]
}

/** Which fields a `where` or `orderBy` may name, and as what; throws an OpFailure for any other. */
export type FieldResolver = (name: string) => FieldRef

export type CompareOperator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'containsi'
  | 'startsWith'
type Operator = CompareOperator | 'in'

export type Condition =
  | { kind: 'all' | 'any'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldRef; op: CompareOperator; operand: Scalar }
  | { kind: 'in'; field: FieldRef; values: Scalar[] }

export interface SortKey {
  field: { readonly name: string; readonly type: Exclude<QueryFieldType, 'array'> }
  direction: 'asc' | 'desc'
}

/** A query that passed validation: every field declared, every operand of a usable type. */
export interface ParsedQuery {
  where: Condition
  orderBy: SortKey[]
  limit?: number
  offset: number
  /** The decoded cursors: the query keeps the rows past / ahead of their gaps (query/types.ts). */
  after?: Cursor
  before?: Cursor
}

export const MAX_WHERE_DEPTH = 16
export const MAX_WHERE_NODES = 256
export const MAX_IN_VALUES = 1000
export const MAX_ORDER_BY = 8
export const MAX_OFFSET = 1_000_000

const COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const
const OPERATORS: Record<QueryFieldType, readonly Operator[]> = {
  text: ['eq', 'ne', 'in', ...COMPARISONS, 'contains', 'containsi', 'startsWith'],
  number: ['eq', 'ne', 'in', ...COMPARISONS],
  boolean: ['eq', 'ne', 'in'],
  array: ['eq', 'ne', 'in', 'contains'],
  key: ['eq', 'ne', 'in', ...COMPARISONS, 'startsWith'],
}
const ALL_OPERATORS: readonly Operator[] = OPERATORS.text

interface Context {
  fields: FieldResolver
  nodes: number
}

/** Matches everything (`where` absent) and nothing (`or: []`). */
export const EVERYTHING: Condition = { kind: 'all', items: [] }
export const NOTHING: Condition = { kind: 'any', items: [] }

/** The declared fields and the key of a collection, as typed in its config. */
export function declaredFields(collection: Collection): FieldResolver {
  return (name) => {
    if (name === collection.key) return { name, type: 'key' }
    const type = collection.fields.get(name)
    if (type === undefined) {
      throw validationFailure(`field ${quote(name)} is not declared in store ${quote(collection.name)}`)
    }
    return { name, type }
  }
}

/**
 * Validates a query (query/types.ts is the language) of `store` against the fields it may use;
 * throws an OpFailure (VALIDATION, or what `fields` throws) naming the offending path, field and
 * store.
 */
export function parseQuery(
  raw: unknown,
  store: string,
  fields: FieldResolver,
  maxLimit: number,
): ParsedQuery {
  if (!isPlainObject(raw)) throw validationFailure('query must be an object')
  const unknown = unknownProperty(raw, ['where', 'orderBy', 'limit', 'offset', 'after', 'before'])
  if (unknown !== undefined) throw validationFailure(`query has an unknown property ${quote(unknown)}`)
  const query: ParsedQuery = {
    where: raw.where === undefined ? EVERYTHING : parseWhere(raw.where, 'query.where', fields),
    orderBy: parseOrderBy(raw.orderBy, fields),
    offset: parseCount(raw.offset, 'offset', MAX_OFFSET) ?? 0,
  }
  const limit = parseCount(raw.limit, 'limit', maxLimit)
  if (limit !== undefined) query.limit = limit
  for (const bound of ['after', 'before'] as const) {
    if (raw[bound] !== undefined) query[bound] = parseCursor(raw, bound, store, query.orderBy)
  }
  return query
}

/**
 * A cursor, decoded by the runtime's own `decodeCursor` (one format on both sides), and refused
 * unless it was made for this store, `where` and `orderBy`; its values must be ones SQL can hold.
 */
function parseCursor(
  raw: Record<string, unknown>,
  bound: 'after' | 'before',
  store: string,
  orderBy: readonly SortKey[],
): Cursor {
  const cursor = decodeCursor(raw[bound], raw as Query, store)
  const at = `query.${bound} of store ${quote(store)}`
  if (typeof cursor === 'string') throw validationFailure(`${at} ${cursor}`)
  for (const [i, value] of cursor.position.entries()) {
    if (typeof value === 'string' && !isStorableText(value))
      throw validationFailure(`${at} holds a value with a NUL character or a lone surrogate`)
    // The key's terms compare ids, which are strings or finite numbers.
    const isKey = i === orderBy.length || orderBy[i]?.field.type === 'key'
    if (isKey && !(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))))
      throw validationFailure(`${at} holds a key that is not a string or a finite number`)
  }
  return cursor
}

/** Validates a `where` on its own (rules are written in the same language as queries). */
export function parseWhere(raw: unknown, path: string, fields: FieldResolver): Condition {
  return parseWhereAt(raw, path, 1, { fields, nodes: 0 })
}

function parseWhereAt(raw: unknown, path: string, depth: number, context: Context): Condition {
  if (!isPlainObject(raw)) throw validationFailure(`${path} must be an object`)
  if (depth > MAX_WHERE_DEPTH)
    throw validationFailure(`${path} is nested deeper than ${MAX_WHERE_DEPTH} levels`)
  const items: Condition[] = []
  for (const [key, value] of Object.entries(raw)) {
    if (++context.nodes > MAX_WHERE_NODES) {
      throw validationFailure(`query.where has more than ${MAX_WHERE_NODES} conditions`)
    }
    const at = `${path}.${key.slice(0, 40)}`
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw validationFailure(`${at} must be an array of conditions`)
      const parts = value.map((part: unknown, index) =>
        parseWhereAt(part, `${at}[${index}]`, depth + 1, context),
      )
      items.push({ kind: key === 'and' ? 'all' : 'any', items: parts })
    } else if (key === 'not') {
      items.push({ kind: 'not', item: parseWhereAt(value, at, depth + 1, context) })
    } else {
      items.push(...parseFieldCondition(context.fields(key), value, at))
    }
  }
  return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'all', items }
}

/** A plain value means `eq`; an object is a set of operators, all of which must hold. */
function parseFieldCondition(field: FieldRef, raw: unknown, path: string): Condition[] {
  if (!isPlainObject(raw)) return [{ kind: 'compare', field, op: 'eq', operand: parseOperand(raw, path) }]
  return Object.entries(raw).map(([name, operand]): Condition => {
    const at = `${path}.${name.slice(0, 40)}`
    const op = ALL_OPERATORS.find((candidate) => candidate === name)
    if (op === undefined) throw validationFailure(`${at}: unknown operator ${quote(name)}`)
    if (!OPERATORS[field.type].includes(op)) {
      throw validationFailure(
        `${at}: operator ${op} is not supported on ${field.type} field ${quote(field.name)}`,
      )
    }
    if (op === 'in') {
      if (!Array.isArray(operand)) throw validationFailure(`${at} must be an array of values`)
      if (operand.length > MAX_IN_VALUES)
        throw validationFailure(`${at} has more than ${MAX_IN_VALUES} values`)
      return {
        kind: 'in',
        field,
        values: operand.map((value: unknown, index) => parseOperand(value, `${at}[${index}]`)),
      }
    }
    const value = parseOperand(operand, at)
    if ((op === 'startsWith' || op === 'containsi') && typeof value !== 'string')
      throw validationFailure(`${at} must be a string`)
    return { kind: 'compare', field, op, operand: value }
  })
}

function parseOperand(raw: unknown, path: string): Scalar {
  if (!isScalar(raw)) {
    const hint = Array.isArray(raw) ? ' (use { in: [...] } to match one of several values)' : ''
    throw validationFailure(`${path} must be a string, number, boolean or null${hint}`)
  }
  if (typeof raw === 'string' && !isStorableText(raw)) {
    throw validationFailure(`${path} contains a NUL character or a lone surrogate`)
  }
  // JSON.parse reads 1e309 as Infinity; compared as JSON it would become null and match nulls.
  if (typeof raw === 'number' && !Number.isFinite(raw))
    throw validationFailure(`${path} is not a finite number`)
  return raw
}

function parseOrderBy(raw: unknown, fields: FieldResolver): SortKey[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw))
    throw validationFailure('query.orderBy must be an array of [field, "asc" | "desc"]')
  if (raw.length > MAX_ORDER_BY) throw validationFailure(`query.orderBy has more than ${MAX_ORDER_BY} fields`)
  return raw.map((entry: unknown, index): SortKey => {
    const at = `query.orderBy[${index}]`
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw validationFailure(`${at} must be [field, "asc" | "desc"]`)
    }
    const direction: unknown = entry[1]
    if (direction !== 'asc' && direction !== 'desc')
      throw validationFailure(`${at}[1] must be "asc" or "desc"`)
    const { name, type } = fields(entry[0])
    if (type === 'array') throw validationFailure(`${at}: array field ${quote(name)} cannot be sorted`)
    return { field: { name, type }, direction }
  })
}

function parseCount(raw: unknown, name: string, max: number): number | undefined {
  if (raw === undefined) return undefined
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > max) {
    throw validationFailure(`query.${name} must be an integer from 0 to ${max}`)
  }
  return raw
}
