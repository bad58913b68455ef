/**
 * The one SQL layer the server uses against both PGlite and a PostgreSQL server. Every
 * parameter travels as text (or NULL) and the SQL casts it, so both drivers serialize
 * parameters identically instead of each applying its own type inference.
 */
export type SqlParam = string | null

/** A result row, by column name. */
export type Row = Record<string, unknown>

/** What runs SQL: the database, or a transaction of it. */
export interface Queryable {
  /** Runs one statement with `$1`… parameters and resolves with its rows. */
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>
}

/** An open database (PGlite or a PostgreSQL pool) with transactions. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Closes the database (PGlite) or ends the pool (PostgreSQL). */
  close(): Promise<void>
}
