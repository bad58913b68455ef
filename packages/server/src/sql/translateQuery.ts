import type { Cursor } from '@atoma/runtime'
import type { Id, Scalar } from '@atoma/runtime/protocol'
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
 * from "exactly at the cap" by the row count and the last row's `total`. With a `limit`, one row
 * more is read and left out of the answer, and every row's `more` says whether it was there (so
 * another page follows); it counts neither against `cap.rows` nor against `cap.bytes`.
 *
 * The order is the runtime evaluator's (query/evaluate.ts): per `orderBy` field, values by type —
 * numbers, strings, booleans, anything else (arrays, objects: equal among themselves), then null
 * or missing — whatever type the field is declared with; then the key. The cursors `after` and
 * `before` are keyset conditions in that same order (`beyond`), so pages bounded by one cursor
 * neither share nor miss a row.
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
  let where = `${conditionSql(visible, params)} AND ${conditionSql(query.where, params)}`
  if (query.after !== undefined) where += ` AND ${beyond(query.orderBy, query.after, 'after', params)}`
  if (query.before !== undefined) where += ` AND ${beyond(query.orderBy, query.before, 'before', params)}`
  const orderBy = [...query.orderBy.flatMap((key) => sortTerms(key, params)), ...KEY_ORDER_ASC].join(', ')
  const { limit } = query
  const rows = Math.min(limit ?? Number.POSITIVE_INFINITY, cap.rows + 1)
  // The probe: one row past the page, when the page is not already cut by the cap.
  const probe = limit !== undefined && rows === limit
  const take = params.add(String(probe ? rows + 1 : rows))
  let page = `SELECT id_kind, id, version, data::text AS text FROM atoma_items WHERE store = ${storeParam}::text AND NOT deleted AND ${where} ORDER BY ${orderBy} LIMIT ${take}::text::bigint`
  if (query.offset > 0) page += ` OFFSET ${params.add(String(query.offset))}::text::bigint`
  if (probe) {
    const keep = params.add(String(limit))
    // As in cutToBytes, the windows without ORDER BY follow the page's order.
    page = `SELECT id_kind, id, version, text, more FROM (
        SELECT id_kind, id, version, text, row_number() OVER () AS n, count(*) OVER () > ${keep}::text::bigint AS more
        FROM (${page}) probed
      ) counted WHERE n <= ${keep}::text::bigint`
  } else {
    page = `SELECT id_kind, id, version, text, FALSE AS more FROM (${page}) unprobed`
  }
  const sql = cutToBytes(page, params.add(String(cap.bytes)), ['more'])
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

/**
 * A field's value as the evaluator ranks it (`rank` in query/evaluate.ts): 0 number, 1 string,
 * 2 boolean, 3 anything else, 4 null or missing. Within a rank one typed term holds the value
 * (the others are NULL for every row of that rank), so rank then the typed terms is the order.
 */
function valueTerms(value: string): { rank: string; number: string; text: string; boolean: string } {
  return {
    rank: `(CASE jsonb_typeof(${value}) WHEN 'number' THEN 0 WHEN 'string' THEN 1 WHEN 'boolean' THEN 2 WHEN 'array' THEN 3 WHEN 'object' THEN 3 ELSE 4 END)`,
    number: `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END)`,
    text: `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN ${value} #>> '{}' END) COLLATE "C"`,
    boolean: `(CASE WHEN jsonb_typeof(${value}) = 'boolean' THEN (${value})::boolean END)`,
  }
}

/** `null` sorts last ascending, first descending; values of any type sort as the evaluator sorts them. */
function sortTerms({ field, direction }: SortKey, params: Params): string[] {
  const order = direction === 'asc' ? 'ASC' : 'DESC'
  if (field.type === 'key') return KEY_ORDER_ASC.map((term) => term.replace(/ ASC$/, ` ${order}`))
  const terms = valueTerms(fieldValue(field, params))
  return [terms.rank, terms.number, terms.text, terms.boolean].map((term) => `${term} ${order}`)
}

type Relation = '<' | '=' | '>'

/**
 * The keyset condition of a cursor: the rows strictly past its gap (`after`) or ahead of it
 * (`before`), a gap lying just after (`side: 'a'`) or just before (`'b'`) its position. Compared
 * in the query's order: the first term that differs decides, in its direction; the key last.
 */
function beyond(
  orderBy: readonly SortKey[],
  cursor: Cursor,
  bound: 'after' | 'before',
  params: Params,
): string {
  const toward: Relation = bound === 'after' ? '>' : '<'
  // The position itself lies past the gap when the gap is on its near side.
  const inclusive = (bound === 'after') === (cursor.side === 'b')
  const terms = orderBy.map((key, i) => ({ key, value: cursor.position[i] }))
  const key = cursor.position[orderBy.length] as Id
  const alternatives: string[] = []
  const equal: string[] = []
  for (const { key: sort, value } of terms) {
    const relation = sort.direction === 'asc' ? toward : toward === '>' ? '<' : '>'
    alternatives.push(all([...equal, termRelation(sort, value, relation, params)]))
    equal.push(termRelation(sort, value, '=', params))
  }
  alternatives.push(all([...equal, keyRelation(key, toward, params)]))
  if (inclusive) alternatives.push(all([...equal, keyRelation(key, '=', params)]))
  return `(${alternatives.join(' OR ')})`
}

function all(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`
}

/** How a row's value of one `orderBy` field relates to a cursor's value, in ascending order. */
function termRelation(sort: SortKey, value: unknown, relation: Relation, params: Params): string {
  if (sort.field.type === 'key') return keyRelation(value as Id, relation, params)
  const terms = valueTerms(fieldValue(sort.field, params))
  const rank = rankOf(value)
  const sameRank = `${terms.rank} = ${rank}`
  let same: string
  if (rank === 0) same = `${terms.number} ${relation} ${params.add(String(value))}::text::numeric`
  else if (rank === 1) same = `${terms.text} ${relation} ${params.add(value as string)}::text`
  else if (rank === 2) same = `${terms.boolean} ${relation} ${params.add(String(value))}::text::boolean`
  // Anything else and null are equal among themselves.
  else same = relation === '=' ? 'TRUE' : 'FALSE'
  if (relation === '=') return `(${sameRank} AND ${same})`
  return `(${terms.rank} ${relation} ${rank} OR (${sameRank} AND ${same}))`
}

/** The evaluator's rank of a cursor's value (see `valueTerms`). */
function rankOf(value: unknown): number {
  if (typeof value === 'number') return 0
  if (typeof value === 'string') return 1
  if (typeof value === 'boolean') return 2
  return value === null ? 4 : 3
}

/** How a row's key relates to `key` in key order: numbers (numerically), then strings (by code point). */
function keyRelation(key: Id, relation: Relation, params: Params): string {
  const kind = typeof key === 'number' ? 'number' : 'string'
  // CASE, not AND: the cast must not run on a string id.
  const same =
    kind === 'number'
      ? `(CASE WHEN id_kind = 'number' THEN id::numeric ${relation} ${params.add(String(key))}::text::numeric ELSE FALSE END)`
      : `(CASE WHEN id_kind = 'string' THEN id COLLATE "C" ${relation} ${params.add(key as string)}::text ELSE FALSE END)`
  if (relation === '=') return same
  // Every number sorts before every string.
  const past = (kind === 'number') === (relation === '>')
  return past ? `(id_kind <> '${kind}' OR ${same})` : same
}
