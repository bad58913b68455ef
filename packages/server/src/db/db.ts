/**
 * The one SQL layer the server uses against both PGlite and a PostgreSQL server. Every
 * parameter travels as text (or NULL) and the SQL casts it, so both drivers serialize
 * parameters identically instead of each applying its own type inference.
 */
export type SqlParam = string | null

export type Row = Record<string, unknown>

export interface Queryable {
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}
