import type { Scalar } from '@atoma/runtime/protocol'
import type { SqlParam } from '../db/db.js'
import type { CompareOperator, Condition, FieldRef, ParsedQuery, SortKey } from '../validate/parseQuery.js'

export interface SqlQuery {
  sql: string
  params: SqlParam[]
}

/** Collects parameters; every value (field names included) reaches SQL as `$n`, never as text. */
class Params {
  readonly values: SqlParam[] = []

  add(value: string): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/**
 * Translates a validated query into one parametrized SELECT with the semantics of
 * query/types.ts. Every predicate is two-valued (never SQL NULL), so `NOT` and `OR` behave as
 * in JavaScript; a missing field and a JSON null both read as `'null'::jsonb`; range
 * comparisons and `contains`/`startsWith` first check the stored JSON type, so a value of
 * another type compares false instead of failing a cast.
 */
export function translateQuery(store: string, query: ParsedQuery): SqlQuery {
  const params = new Params()
  const storeParam = params.add(store)
  const where = condition(query.where, params)
  const orderBy = [...query.orderBy.flatMap((key) => sortTerms(key, params)), ...KEY_ORDER_ASC].join(', ')
  let sql = `SELECT id_kind, id, version, data::text AS data FROM atoma_items WHERE store = ${storeParam}::text AND ${where} ORDER BY ${orderBy}`
  if (query.limit !== undefined) sql += ` LIMIT ${params.add(String(query.limit))}::text::bigint`
  if (query.offset > 0) sql += ` OFFSET ${params.add(String(query.offset))}::text::bigint`
  return { sql, params: params.values }
}

function condition(node: Condition, params: Params): string {
  switch (node.kind) {
    case 'all':
      return node.items.length === 0
        ? 'TRUE'
        : `(${node.items.map((item) => condition(item, params)).join(' AND ')})`
    case 'any':
      return node.items.length === 0
        ? 'FALSE'
        : `(${node.items.map((item) => condition(item, params)).join(' OR ')})`
    case 'not':
      return `(NOT ${condition(node.item, params)})`
    case 'in':
      if (node.values.length === 0) return 'FALSE'
      return `(${valueOrNull(node.field, params)} IN (SELECT jsonb_array_elements(${jsonParam(node.values, params)})))`
    case 'compare':
      return compare(node.field, node.op, node.operand, params)
  }
}

const SYMBOL: Record<'gt' | 'gte' | 'lt' | 'lte', string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' }

function compare(field: FieldRef, op: CompareOperator, operand: Scalar, params: Params): string {
  switch (op) {
    case 'eq':
      return `(${valueOrNull(field, params)} = ${jsonParam(operand, params)})`
    case 'ne':
      return `(${valueOrNull(field, params)} <> ${jsonParam(operand, params)})`
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      // Semantics: a comparison with null or a boolean is false.
      if (typeof operand !== 'number' && typeof operand !== 'string') return 'FALSE'
      const value = fieldValue(field, params)
      if (typeof operand === 'number') {
        return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric ${SYMBOL[op]} ${params.add(String(operand))}::text::numeric ELSE FALSE END)`
      }
      return `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN (${value} #>> '{}') COLLATE "C" ${SYMBOL[op]} ${params.add(operand)}::text ELSE FALSE END)`
    }
    case 'contains': {
      const value = fieldValue(field, params)
      // Arrays: `@>` with a one-element array matches a top-level element equal to the operand.
      // Strings: strpos, not LIKE, so `%` and `_` in the operand are plain characters.
      const substring =
        typeof operand === 'string' ? `strpos(${value} #>> '{}', ${params.add(operand)}::text) > 0` : 'FALSE'
      return `(CASE jsonb_typeof(${value}) WHEN 'array' THEN ${value} @> jsonb_build_array(${jsonParam(operand, params)}) WHEN 'string' THEN ${substring} ELSE FALSE END)`
    }
    case 'startsWith': {
      const value = fieldValue(field, params)
      return `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN starts_with(${value} #>> '{}', ${params.add(String(operand))}::text) ELSE FALSE END)`
    }
  }
}

function jsonParam(value: unknown, params: Params): string {
  return `${params.add(JSON.stringify(value))}::text::jsonb`
}

function fieldValue(field: FieldRef, params: Params): string {
  return `(data -> ${params.add(field.name)}::text)`
}

function valueOrNull(field: FieldRef, params: Params): string {
  return `COALESCE(${fieldValue(field, params)}, 'null'::jsonb)`
}

/**
 * Entity keys sort numbers first (numerically), then strings (by code point); the ids are
 * stored as text beside their kind, so each kind gets its own typed term.
 */
const KEY_ORDER_ASC = [
  "(id_kind = 'string') ASC",
  "(CASE WHEN id_kind = 'number' THEN id::numeric END) ASC",
  'id COLLATE "C" ASC',
]

/** `null` (and a stored value of another type than declared) sorts last ascending, first descending. */
function sortTerms({ field, direction }: SortKey, params: Params): string[] {
  const order = direction === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS FIRST'
  if (field.type === 'key') return KEY_ORDER_ASC.map((term) => term.replace(/ ASC$/, ` ${order}`))
  const value = fieldValue(field, params)
  switch (field.type) {
    case 'number':
      return [`(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END) ${order}`]
    case 'boolean':
      return [`(CASE WHEN jsonb_typeof(${value}) = 'boolean' THEN (${value})::boolean END) ${order}`]
    case 'text':
      return [`(CASE WHEN jsonb_typeof(${value}) = 'string' THEN ${value} #>> '{}' END) COLLATE "C" ${order}`]
  }
}
