import type { PGlite } from '@electric-sql/pglite'
import type { Db, Queryable, Row, SqlParam } from './db.js'

/** Wraps an open PGlite instance; `close()` closes it. */
export function pgliteDb(pglite: PGlite): Db {
  const wrap = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
      const result = await target.query<Row>(sql, [...params])
      return result.rows
    },
  })
  const db = wrap(pglite)
  return {
    kind: 'pglite',
    ...db,
    transaction: (fn, { snapshot = false } = {}) =>
      pglite.transaction(async (tx) => {
        // The first statement of the transaction, before any snapshot is taken.
        if (snapshot) await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
        return fn(wrap(tx))
      }),
    async notify(channel, payload) {
      await db.query('SELECT pg_notify($1::text, $2::text)', [channel, payload])
    },
    // One process, one connection: the listener never drops, so `reconnected` is never called.
    async listen(channel, listener) {
      const stop = await pglite.listen(channel, (payload) => listener.message(payload))
      // A closed PGlite listens to nothing any more (and would throw on UNLISTEN).
      return async () => (pglite.closed ? undefined : stop())
    },
    close: () => pglite.close(),
  }
}

/**
 * Opens PGlite with its data in `dataDir`, or in memory when `dataDir` is undefined. The
 * module is loaded on demand so a server on PostgreSQL never loads the WebAssembly build.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite')
  return pgliteDb(await PGlite.create(dataDir))
}
