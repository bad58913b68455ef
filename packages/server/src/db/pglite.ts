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
  return {
    kind: 'pglite',
    ...wrap(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
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
