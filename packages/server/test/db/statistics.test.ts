import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { expect, inject, it } from 'vitest'
import { migrate } from '../../src/db/migrate.js'
import { pgliteDb } from '../../src/db/pglite.js'
import { keepStatistics } from '../../src/db/statistics.js'

/** PGlite itself, whatever database the rest of the suite runs on: it has no autovacuum to do this. */
it('analyzes a PGlite database at start and again after enough changes', async () => {
  const template = inject('pgliteTemplate')
  const pglite = template
    ? await PGlite.create({ loadDataDir: new Blob([await readFile(template)]) })
    : await PGlite.create()
  const db = pgliteDb(pglite)
  try {
    await migrate(db)
    // ANALYZE sets the row count the planner works with (-1: never analyzed).
    const rows = async () =>
      Number(
        (await db.query(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'atoma_items'`))[0]?.n,
      )
    const insert = (from: number, to: number) =>
      db.query(
        `INSERT INTO atoma_items (store, id_kind, id, version, data)
         SELECT 'todos', 'number', g::text, g, '{}' FROM generate_series(${from}, ${to}) g`,
      )
    const errors: unknown[] = []
    expect(await rows()).toBe(-1)
    const statistics = keepStatistics(db, (error) => errors.push(error))
    for (let i = 0; i < 500 && (await rows()) === -1; i++) await new Promise((r) => setTimeout(r, 5))
    expect(await rows()).toBe(0)

    await insert(1, 200)
    // 50 changes plus a tenth of the (empty) table: the 50th asks for another ANALYZE, not the 49th.
    for (let i = 0; i < 49; i++) statistics.changed()
    expect(await rows()).toBe(0)
    statistics.changed()
    for (let i = 0; i < 500 && (await rows()) === 0; i++) await new Promise((r) => setTimeout(r, 5))
    expect(await rows()).toBe(200)

    // Now 50 plus a tenth of 200: the 70th change, not the 69th. (PGlite runs statements in the
    // order they were asked for, so a read after the 69th would come after an ANALYZE it started.)
    await insert(201, 210)
    for (let i = 0; i < 69; i++) statistics.changed()
    expect(await rows()).toBe(200)
    statistics.changed()
    for (let i = 0; i < 500 && (await rows()) === 200; i++) await new Promise((r) => setTimeout(r, 5))
    expect(await rows()).toBe(210)
    await statistics.close()
    expect(errors).toEqual([])
  } finally {
    await db.close()
  }
})
