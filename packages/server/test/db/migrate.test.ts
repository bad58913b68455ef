import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCollections } from '../../src/collections.js'
import { migrate } from '../../src/db/migrate.js'
import { startServer } from '../../src/server.js'
import { parseWriteEntries } from '../../src/validate/parseWriteEntries.js'
import { openTestDb, type TestDb } from '../support/testDb.js'
import { COLLECTIONS, entry } from '../support/testServer.js'

let database: TestDb
beforeAll(async () => {
  database = await openTestDb()
})
afterAll(() => database.dispose())

/** The schema exactly as the first release created it: no principal column, no record of steps. */
const FIRST_RELEASE = [
  `CREATE TABLE atoma_items (
    store text NOT NULL, id_kind text NOT NULL CHECK (id_kind IN ('string', 'number')), id text NOT NULL,
    version integer NOT NULL CHECK (version >= 1), data jsonb NOT NULL, PRIMARY KEY (store, id_kind, id))`,
  `CREATE TABLE atoma_idempotency (
    store text NOT NULL, key text NOT NULL, request_hash text NOT NULL, version integer, value jsonb,
    created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (store, key))`,
  'CREATE INDEX atoma_idempotency_created_at ON atoma_idempotency (created_at)',
]

describe('migrate', () => {
  it('upgrades a database made by the first release, keeping its items and keys', async () => {
    const { db } = database
    for (const statement of FIRST_RELEASE) await db.query(statement)
    const create = entry('create', 'old', { value: { title: 'from before' } })
    const [parsed] = parseWriteEntries([create], parseCollections(COLLECTIONS).get('todos')!, 10)
    if (parsed === undefined || !('entry' in parsed)) throw new Error('the entry must parse')
    await db.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES ('todos', 'string', 'old', 1, '{"id":"old","title":"from before"}')`,
    )
    await db.query(
      `INSERT INTO atoma_idempotency (store, key, request_hash, version, value)
       VALUES ('todos', $1::text, $2::text, 1, '{"id":"old","title":"from before"}')`,
      [create.idempotencyKey, parsed.entry.requestHash],
    )

    await migrate(db)
    await migrate(db)
    const columns = await db.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = 'atoma_idempotency'::regclass AND i.indisprimary ORDER BY a.attname`,
    )
    expect(columns.map((row) => row.attname)).toEqual(['key', 'principal', 'store'])
    expect(await db.query('SELECT principal FROM atoma_idempotency')).toEqual([{ principal: 'anonymous' }])
    expect(await db.query('SELECT step FROM atoma_migrations ORDER BY step')).toEqual([
      { step: 1 },
      { step: 2 },
    ])

    // A retry that was in flight across the upgrade still replays for the (anonymous) principal that sent it.
    const server = await startServer({ collections: COLLECTIONS, db, port: 0 })
    const response = await fetch(`${server.url}/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ops: [{ opId: 'w', kind: 'write', store: 'todos', entries: [create] }] }),
    })
    expect(await response.json()).toMatchObject({
      results: [
        {
          status: 'confirmed',
          items: [{ status: 'confirmed', version: 1, value: { title: 'from before' } }],
        },
      ],
    })
    await server.close()
  })
})
