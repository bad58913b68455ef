/**
 * The query language (docs/architecture.md §5). One definition serves the local evaluator, the memory and
 * IndexedDB backends and the reference server's SQL translation, so a query means the same
 * thing wherever it runs. Semantics every evaluator follows:
 * - a missing field reads as `null`;
 * - `eq`/plain value and `ne` compare with `===` / `!==` (so `ne: 'x'` matches `null`);
 * - `gt/gte/lt/lte` compare numbers numerically and strings by UTF-16 code unit (SQL: COLLATE "C");
 *   a comparison involving `null` or mismatched types is false;
 * - `in` matches when the value equals one of the list (a `null` in the list matches `null`);
 * - `contains`: substring for strings (case-sensitive), element membership for arrays;
 * - `containsi`: substring for strings with ASCII letters folded (A–Z match a–z; every other
 *   character compares exactly, so every backend means the same: SQL `lower()` under `COLLATE "C"`);
 * - `startsWith`: string prefix, case-sensitive;
 * - `orderBy`: fields in order; `null` sorts last ascending and first descending (PostgreSQL's
 *   default); ties keep a stable order by the entity key, ascending (so a query without `orderBy`
 *   that is paged is in key order);
 * - `after` / `before` (cursors) keep the items past / ahead of a gap in that order, as a filter
 *   (see `Cursor` in evaluate.ts); `offset` then `limit` apply after ordering and the cursors.
 */
export type Id = string | number

/** A value a query compares against. */
export type Scalar = string | number | boolean | null

/** The operators of one field's condition, all of which must hold (semantics at the top of this module). */
export interface FieldOps<V = Scalar> {
  eq?: V | null
  ne?: V | null
  gt?: V
  gte?: V
  lt?: V
  lte?: V
  in?: readonly (V | null)[]
  contains?: V extends readonly (infer E)[] ? E : V
  containsi?: string
  startsWith?: string
}

type FieldCondition<V> = V | null | FieldOps<V>

/** A filter: per field a value (equality) or operators, combined with `and`, `or` and `not`. */
export type Where<T = Record<string, unknown>> = {
  [K in keyof T & string]?: FieldCondition<T[K]>
} & {
  and?: readonly Where<T>[]
  or?: readonly Where<T>[]
  not?: Where<T>
}

/** Ascending or descending. */
export type SortDirection = 'asc' | 'desc'

/** A collection query: filter, order, cursors, then offset and limit. */
export interface Query<T = Record<string, unknown>> {
  where?: Where<T>
  orderBy?: readonly (readonly [keyof T & string, SortDirection])[]
  limit?: number
  offset?: number
  /**
   * A cursor (opaque: a node's `meta.cursor`, or a bound of `QueryResult.view`): only the items
   * after it in this query's order. Made for one store, `where` and `orderBy`; any other query
   * refuses it with `VALIDATION`.
   */
  after?: string
  /** A cursor, as `after`: only the items before it in this query's order. */
  before?: string
}

export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'contains',
  'containsi',
  'startsWith',
] as const
export type Operator = (typeof OPERATORS)[number]
