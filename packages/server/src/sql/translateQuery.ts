import type { Scalar } from '@atoma/runtime/protocol'
import type { SqlParam } from '../db/db.js'
import type { CompareOperator, Condition, FieldRef, ParsedQuery, SortKey } from '../validate/parseQuery.js'

export interface SqlQuery {
  sql: string
  params: SqlParam[]
}

/** Collects parameters; every value (field names included) reaches SQL as `$n`, never as text. */
export class Params {
  readonly values: SqlParam[] = []

  add(value: string | null): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/** Caps on what one query may answer (the request's remaining budget, see request/budget.ts). */
export interface ResultCap {
  rows: number
  bytes: number
}

/**
 * Translates a validated query into one parametrized SELECT with the semantics of
 * query/types.ts, restricted to the rows `visible` lets the principal read (the read rule,
 * AND-ed in before ordering and paging, so offset and limit cannot reach other rows).
 *
 * The result never exceeds `cap`: at most `cap.rows + 1` rows are read, and a running sum of
 * their JSON text length cuts the answer at the first row that crosses `cap.bytes`; that row
 * comes back without its data, as the sign that the query went over. The caller tells "over"
 * from "exactly at the cap" by the row count and the last row's `total`.
 *
 * Every predicate is two-valued (never SQL NULL), so `NOT` and `OR` behave as in JavaScript;
 * a missing field and a JSON null both read as `'null'::jsonb`; range comparisons and
 * `contains`/`containsi`/`startsWith` first check the stored JSON type, so a value of another type
 * compares false instead of failing a cast.
 */
export function translateQuery(
  store: string,
  query: ParsedQuery,
  visible: Condition,
  cap: ResultCap,
): SqlQuery {
  const params = new Params()
  const storeParam = params.add(store)
  const where = `${conditionSql(visible, params)} AND ${conditionSql(query.where, params)}`
  const orderBy = [...query.orderBy.flatMap((key) => sortTerms(key, params)), ...KEY_ORDER_ASC].join(', ')
  const rows = Math.min(query.limit ?? Number.POSITIVE_INFINITY, cap.rows + 1)
  let page = `SELECT id_kind, id, version, data::text AS text FROM atoma_items WHERE store = ${storeParam}::text AND NOT deleted AND ${where} ORDER BY ${orderBy} LIMIT ${params.add(String(rows))}::text::bigint`
  if (query.offset > 0) page += ` OFFSET ${params.add(String(query.offset))}::text::bigint`
  const sql = cutToBytes(page, params.add(String(cap.bytes)))
  return { sql, params: params.values }
}

/**
 * Wraps `page`, a SELECT of the columns `id_kind, id, version, text` and the `extra` ones, in its
 * order, so that the answer stops at `bytes` (a parameter) of text: a running sum of the texts'
 * lengths cuts it at the first row that crosses, which comes back with `data` NULL as the sign
 * that the page went over; every row carries the running `total`.
 */
export function cutToBytes(page: string, bytes: string, extra: readonly string[] = []): string {
  const more = extra.map((column) => `, ${column}`).join('')
  // The window has no ORDER BY: its running frame follows the page's order, row by row.
  return `SELECT id_kind, id, version${more}, CASE WHEN total <= ${bytes}::text::bigint THEN text END AS data, total::float8 AS total
    FROM (
      SELECT id_kind, id, version${more}, text, octet_length(text) AS size,
        row_number() OVER running AS ord, sum(octet_length(text)) OVER running AS total
      FROM (${page}) page
      WINDOW running AS (ROWS UNBOUNDED PRECEDING)
    ) sized
    WHERE total - size <= ${bytes}::text::bigint
    ORDER BY ord`
}

/**
 * The SQL of a condition over the JSON document `doc` (a column, or a `$n::jsonb` parameter
 * to evaluate a rule on an item that is not stored yet).
 */
export function conditionSql(node: Condition, params: Params, doc = 'data'): string {
  return condition(node, params, doc)
}

function condition(node: Condition, params: Params, doc: string): string {
  switch (node.kind) {
    case 'all':
      return node.items.length === 0
        ? 'TRUE'
        : `(${node.items.map((item) => condition(item, params, doc)).join(' AND ')})`
    case 'any':
      return node.items.length === 0
        ? 'FALSE'
        : `(${node.items.map((item) => condition(item, params, doc)).join(' OR ')})`
    case 'not':
      return `(NOT ${condition(node.item, params, doc)})`
    case 'in':
      if (node.values.length === 0) return 'FALSE'
      return `(${valueOrNull(node.field, params, doc)} IN (SELECT jsonb_array_elements(${jsonParam(node.values, params)})))`
    case 'compare':
      return compare(node.field, node.op, node.operand, params, doc)
  }
}

const SYMBOL: Record<'gt' | 'gte' | 'lt' | 'lte', string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' }

function compare(field: FieldRef, op: CompareOperator, operand: Scalar, params: Params, doc: string): string {
  switch (op) {
    case 'eq':
      return `(${valueOrNull(field, params, doc)} = ${jsonParam(operand, params)})`
    case 'ne':
      return `(${valueOrNull(field, params, doc)} <> ${jsonParam(operand, params)})`
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      // Semantics: a comparison with null or a boolean is false.
      if (typeof operand !== 'number' && typeof operand !== 'string') return 'FALSE'
      const value = fieldValue(field, params, doc)
      if (typeof operand === 'number') {
        return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric ${SYMBOL[op]} ${params.add(String(operand))}::text::numeric ELSE FALSE END)`
      }
      return `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN (${value} #>> '{}') COLLATE "C" ${SYMBOL[op]} ${params.add(operand)}::text ELSE FALSE END)`
    }
    case 'contains': {
      const value = fieldValue(field, params, doc)
      // Arrays: `@>` with a one-element array matches a top-level element equal to the operand.
      // Strings: strpos, not LIKE, so `%` and `_` in the operand are plain characters.
      const substring =
        typeof operand === 'string' ? `strpos(${value} #>> '{}', ${params.add(operand)}::text) > 0` : 'FALSE'
      return `(CASE jsonb_typeof(${value}) WHEN 'array' THEN ${value} @> jsonb_build_array(${jsonParam(operand, params)}) WHEN 'string' THEN ${substring} ELSE FALSE END)`
    }
    case 'containsi': {
      // ASCII letters folded and nothing else, as the runtime's evaluator does: lower() folds only
      // A–Z under COLLATE "C" (under a locale it would fold É, ǅ, K too), and strpos keeps % and _ plain.
      const value = fieldValue(field, params, doc)
      return `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN strpos(lower((${value} #>> '{}') COLLATE "C"), lower(${params.add(String(operand))}::text COLLATE "C")) > 0 ELSE FALSE END)`
    }
    case 'startsWith': {
      const value = fieldValue(field, params, doc)
      return `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN starts_with(${value} #>> '{}', ${params.add(String(operand))}::text) ELSE FALSE END)`
    }
  }
}

function jsonParam(value: unknown, params: Params): string {
  return `${params.add(JSON.stringify(value))}::text::jsonb`
}

function fieldValue(field: FieldRef, params: Params, doc = 'data'): string {
  if (field.path !== undefined) return `(${doc} #> ${params.add(`{${field.path.join(',')}}`)}::text::text[])`
  return `(${doc} -> ${params.add(field.name)}::text)`
}

function valueOrNull(field: FieldRef, params: Params, doc: string): string {
  return `COALESCE(${fieldValue(field, params, doc)}, 'null'::jsonb)`
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
