import { createHash } from 'node:crypto'
import type { Client, PoolClient } from 'pg'
import {
  type ChannelListener,
  type Db,
  type Queryable,
  type Row,
  type SqlParam,
  StatementTimeout,
} from './db.js'

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
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,39}$/
/** A dropped LISTEN connection is retried after this long, doubling up to RECONNECT_MAX_MS. */
const RECONNECT_MS = 100
const RECONNECT_MAX_MS = 5_000

/** A PostgreSQL server through a `pg` pool, every connection using `schema` as its search path. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.schema ?? 'public'
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)} (lowercase letters, digits, _)`)
  }
  const { default: pg } = await import('pg')
  const onError = options.onError ?? console.error
  const connection = { connectionString: options.url, options: `-c search_path=${schema}` }
  const pool = new pg.Pool({ ...connection, max: options.max ?? 10 })
  // An idle client losing its connection emits on the pool; unhandled, that would crash the process.
  pool.on('error', onError)
  const listeners = new Set<() => Promise<void>>()

  /**
   * Channels are per database, not per schema: servers on other schemas of the same database
   * must not hear this one, so a schema other than `public` gets channels of its own.
   */
  const channelName = (channel: string): string => {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${JSON.stringify(channel)}`)
    if (schema === 'public') return channel
    return `${channel}_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`
  }

  /**
   * LISTEN on a client of its own (a pooled one would be handed to other work). When it drops it
   * is replaced, with backoff, for as long as the listener lives; the first connection must work.
   */
  async function listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
    const name = channelName(channel)
    let client: Client | undefined
    let stopped = false
    let retry: NodeJS.Timeout | undefined
    let delay = RECONNECT_MS
    const connect = async (): Promise<Client> => {
      const next = new pg.Client(connection)
      // A broken connection emits 'error' and then 'end'; unhandled, the first would crash the process.
      next.on('error', onError)
      try {
        await next.connect()
        await next.query(`LISTEN ${name}`)
      } catch (error) {
        await next.end().catch(() => {})
        throw error
      }
      next.on('notification', (message) => {
        if (message.channel === name && message.payload !== undefined) listener.message(message.payload)
      })
      next.once('end', () => {
        if (client !== next || stopped) return
        client = undefined
        reconnect()
      })
      return next
    }
    const reconnect = (): void => {
      retry = setTimeout(() => {
        connect().then(
          async (next) => {
            if (stopped) return next.end()
            client = next
            delay = RECONNECT_MS
            listener.reconnected()
          },
          (error: unknown) => {
            onError(error)
            delay = Math.min(delay * 2, RECONNECT_MAX_MS)
            if (!stopped) reconnect()
          },
        )
      }, delay)
    }
    client = await connect()
    const stop = async (): Promise<void> => {
      stopped = true
      clearTimeout(retry)
      listeners.delete(stop)
      await client?.end().catch(onError)
      client = undefined
    }
    listeners.add(stop)
    return stop
  }

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
    async transaction(fn, { timeoutMs, snapshot = false } = {}) {
      const client = await pool.connect()
      try {
        await client.query(snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN')
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
    async notify(channel, payload) {
      await db.query('SELECT pg_notify($1::text, $2::text)', [channelName(channel), payload])
    },
    listen,
    async close() {
      await Promise.all([...listeners].map((stop) => stop()))
      await pool.end()
    },
  }
  try {
    // Checked first: CREATE SCHEMA IF NOT EXISTS still demands the CREATE privilege on the database.
    const exists = async () =>
      (await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1::text', [schema])).length > 0
    if (!(await exists())) {
      // Servers starting together race here, and IF NOT EXISTS does not stop the loser from failing.
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(async (error: unknown) => {
        if (!(await exists())) throw error
      })
    }
  } catch (error) {
    await pool.end()
    throw error
  }
  return db
}
