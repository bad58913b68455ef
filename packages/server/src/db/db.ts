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

/** Options of one transaction. */
export interface TransactionOptions {
  /**
   * Cancels any statement of the transaction that runs longer (PostgreSQL's `statement_timeout`,
   * set with `SET LOCAL`); the statement then throws StatementTimeout. PGlite runs in this
   * process without timers inside the database and ignores it.
   */
  timeoutMs?: number
  /**
   * One snapshot for the whole transaction (REPEATABLE READ) instead of one per statement, so
   * everything it reads belongs to the same moment (a pull reads rows and sequences together).
   */
  snapshot?: boolean
}

/** What `Db.listen` calls. */
export interface ChannelListener {
  message(payload: string): void
  /**
   * PostgreSQL: the listening connection dropped and is back. Notifications sent while it was
   * down are lost, so whatever they would have said must be assumed.
   */
  reconnected(): void
}

/** An open database (PGlite or a PostgreSQL pool) with transactions. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>
  /**
   * Notifications between the processes serving this database: PostgreSQL's NOTIFY, which PGlite
   * implements within its one process. Every listener of `channel` gets `payload`, the sender's
   * own included. A channel is scoped like the tables (to the schema on PostgreSQL).
   */
  notify(channel: string, payload: string): Promise<void>
  /** LISTEN on `channel` until the returned function is called (on PostgreSQL: a connection of its own, reconnected when it drops). */
  listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>>
  /** Closes the database (PGlite) or ends the pool (PostgreSQL). */
  close(): Promise<void>
}

/** A statement the database cancelled because it ran past the transaction's `timeoutMs`. */
export class StatementTimeout extends Error {}
