import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { inject } from 'vitest'
import type { Db } from '../../src/db/db.js'
import { pgliteDb } from '../../src/db/pglite.js'
import { openPostgres } from '../../src/db/postgres.js'

export interface TestDb {
  /** Its close() may be called by a test (to see the server without its database) and again by dispose(). */
  db: Db
  dispose(): Promise<void>
}

/**
 * The database a test file runs on: PostgreSQL at ATOMA_TEST_DATABASE_URL in a schema of its
 * own (dropped afterwards, so parallel files and repeated runs never collide), else a fresh
 * in-memory PGlite started from the migrated template (globalSetup).
 */
export async function openTestDb(): Promise<TestDb> {
  const url = process.env.ATOMA_TEST_DATABASE_URL
  if (url) {
    const schema = `atoma_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`
    const db = closeOnce(await openPostgres({ url, schema, max: 4 }))
    return {
      db,
      async dispose() {
        await db.close()
        const admin = new pg.Client({ connectionString: url })
        await admin.connect()
        await admin.query(`DROP SCHEMA ${schema} CASCADE`)
        await admin.end()
      },
    }
  }
  const template = await readFile(inject('pgliteTemplate'))
  const db = closeOnce(pgliteDb(await PGlite.create({ loadDataDir: new Blob([template]) })))
  return { db, dispose: () => db.close() }
}

function closeOnce(db: Db): Db {
  let closing: Promise<void> | undefined
  return { ...db, close: () => (closing ??= db.close()) }
}

/** Every stored row, in a stable order: equal dumps mean an unchanged database. */
export async function dumpDatabase(db: Db): Promise<string> {
  const items = await db.query(
    'SELECT store, id_kind, id, version::text, deleted, data::text AS data FROM atoma_items ORDER BY store, id_kind, id',
  )
  const stores = await db.query('SELECT store, version::text FROM atoma_stores ORDER BY store')
  const keys = await db.query(
    'SELECT store, key, request_hash, version::text, value::text AS value FROM atoma_idempotency ORDER BY store, key',
  )
  return JSON.stringify({ items, stores, keys })
}
