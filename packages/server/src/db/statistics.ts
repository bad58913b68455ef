import type { Db } from './db.js'

/** As autovacuum's default: analyze again once this many rows plus this share of the table changed. */
const THRESHOLD_ROWS = 50
const THRESHOLD_SHARE = 0.1

/**
 * The planner needs statistics to page a store's change log (and queries) through the index: with
 * none it takes a large table for a small one, and sorts every remaining row for each page (a first
 * pull of 100,000 items took 22 s instead of 4 s). PostgreSQL's autovacuum keeps them fresh;
 * PGlite runs no autovacuum, so the server does its work there: ANALYZE at start and again after as
 * many changes as autovacuum would wait for, one at a time, in the background.
 */
export function keepStatistics(
  db: Db,
  onError: (error: unknown) => void,
): { changed(): void; close(): Promise<void> } {
  if (db.kind !== 'pglite') return { changed() {}, close: async () => {} }
  let rows = 0
  let changes = 0
  let running: Promise<void> | undefined
  let closed = false
  const analyze = (): void => {
    if (running || closed) return
    changes = 0
    running = (async () => {
      await db.query('ANALYZE atoma_items')
      const [row] = await db.query(
        `SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'atoma_items'::regclass`,
      )
      rows = Math.max(0, Number(row?.rows ?? 0))
    })()
      .catch(onError)
      .finally(() => {
        running = undefined
      })
  }
  analyze()
  return {
    changed() {
      if (++changes >= THRESHOLD_ROWS + THRESHOLD_SHARE * rows) analyze()
    },
    async close() {
      closed = true
      await running
    },
  }
}
