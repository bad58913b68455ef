import type { PoolClient } from 'pg'
import { type Db, type Queryable, type Row, type SqlParam, StatementTimeout } from './db.js'

/** Where and how `openPostgres` connects. */
export interface PostgresOptions {
  url: string
  /** Schema holding the tables (created when missing); default `public`. */
  schema?: string
  /** Pool size; default 10. */
  max?: number
  /** Errors of idle pool connections; default `console.error`. */
  onError?: (error: unknown) => void
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/
/** SQLSTATE query_canceled: what a statement cut by statement_timeout fails with. */
const QUERY_CANCELED = '57014'

/** A PostgreSQL server through a `pg` pool, every connection using `schema` as its search path. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.schema ?? 'public'
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)} (lowercase letters, digits, _)`)
  }
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    options: `-c search_path=${schema}`,
  })
  // An idle client losing its connection emits on the pool; unhandled, that would crash the process.
  pool.on('error', (error) => (options.onError ?? console.error)(error))

  const wrap = (client: Pick<PoolClient, 'query'>): Queryable => ({
    async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
      try {
        const result = await client.query<Row>(sql, [...params])
        return result.rows
      } catch (error) {
        if ((error as { code?: unknown }).code === QUERY_CANCELED) {
          throw new StatementTimeout('the statement ran past its time budget', { cause: error })
        }
        throw error
      }
    },
  })

  const db: Db = {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn, { timeoutMs } = {}) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        if (timeoutMs !== undefined) {
          // At least 1 ms: 0 would mean no timeout at all.
          const ms = String(Math.max(1, Math.ceil(timeoutMs)))
          await client.query(`SELECT set_config('statement_timeout', $1::text, true)`, [ms])
        }
        const result = await fn(wrap(client))
        await client.query('COMMIT')
        client.release()
        return result
      } catch (error) {
        // A failed ROLLBACK means the connection is broken: destroy it instead of pooling it.
        await client.query('ROLLBACK').then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        )
        throw error
      }
    },
    close: () => pool.end(),
  }
  try {
    // Checked first: CREATE SCHEMA IF NOT EXISTS still demands the CREATE privilege on the database.
    const existing = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1::text', [schema])
    if (existing.length === 0) await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  } catch (error) {
    await pool.end()
    throw error
  }
  return db
}
