import type { PullResponse } from '@atoma/runtime/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCollections } from '../../src/collections.js'
import { migrate } from '../../src/db/migrate.js'
import { startServer } from '../../src/server.js'
import { parseWriteEntries } from '../../src/validate/parseWriteEntries.js'
import { openTestDb, type TestDb } from '../support/testDb.js'
import { COLLECTIONS, entry, startTestServer } from '../support/testServer.js'

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
      { step: 3 },
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

/** The schema as the second release left it (steps 1 and 2): versions counted per item, deletes remove rows. */
const SECOND_RELEASE = [
  'CREATE TABLE atoma_migrations (step integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  'INSERT INTO atoma_migrations (step) VALUES (1), (2)',
  FIRST_RELEASE[0] as string,
  `CREATE TABLE atoma_idempotency (
    store text NOT NULL, key text NOT NULL, request_hash text NOT NULL, version integer, value jsonb,
    created_at timestamptz NOT NULL DEFAULT now(), principal text NOT NULL, PRIMARY KEY (store, principal, key))`,
  'CREATE INDEX atoma_idempotency_created_at ON atoma_idempotency (created_at)',
]

describe('migrate to the change log', () => {
  it('starts each store’s sequence above its versions, and pulls page through the versions items share', async () => {
    const second = await openTestDb()
    const { db } = second
    try {
      for (const statement of SECOND_RELEASE) await db.query(statement)
      // 30 todos, versions 1 to 3 repeating (each item counted its own changes), and 2 notes.
      await db.query(
        `INSERT INTO atoma_items (store, id_kind, id, version, data)
         SELECT 'todos', 'number', g::text, 1 + g % 3, jsonb_build_object('id', g, 'title', 'old ' || g)
         FROM generate_series(1, 30) g`,
      )
      await db.query(
        `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES
         ('notes', 'string', 'a', 7, '{"slug":"a"}'), ('notes', 'string', 'b', 2, '{"slug":"b"}')`,
      )
      await migrate(db)
      expect(await db.query('SELECT store, version::text FROM atoma_stores ORDER BY store')).toEqual([
        { store: 'notes', version: '7' },
        { store: 'todos', version: '3' },
      ])
      const types = await db.query(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE column_name IN ('version', 'deleted') AND table_schema = current_schema() ORDER BY table_name, column_name`,
      )
      expect(types).toEqual([
        { table_name: 'atoma_idempotency', column_name: 'version', data_type: 'bigint' },
        { table_name: 'atoma_items', column_name: 'deleted', data_type: 'boolean' },
        { table_name: 'atoma_items', column_name: 'version', data_type: 'bigint' },
        { table_name: 'atoma_stores', column_name: 'version', data_type: 'bigint' },
      ])

      const t = await startTestServer({}, second)
      try {
        // Pages of 4 end inside runs of equal versions: still every todo once, in version order.
        const seen: Array<[number, unknown]> = []
        let cursor: string | undefined
        for (let page = 0; page < 20; page++) {
          const { status, body } = await t.post(
            { stores: ['todos'], limit: 4, ...(cursor ? { cursor } : {}) },
            { path: '/pull' },
          )
          expect(status).toBe(200)
          const answer = body as PullResponse
          seen.push(...answer.changes.map((change): [number, unknown] => [change.version, change.id]))
          // `through` never claims a version before all its rows came (ten todos share each version),
          // and is never behind the last whole one.
          const through = answer.through?.todos ?? -1
          expect(seen.filter(([version]) => version <= through)).toHaveLength(10 * through)
          expect(seen.filter(([version]) => version === through + 1).length).toBeLessThan(10)
          cursor = answer.cursor
          if (!answer.more) break
        }
        expect(seen.map(([, id]) => id).sort((a, b) => Number(a) - Number(b))).toEqual(
          Array.from({ length: 30 }, (_, i) => i + 1),
        )
        const versions = seen.map(([version]) => version)
        expect(versions).toEqual([...versions].sort((a, b) => a - b))
        for (const [version, id] of seen) expect(version).toBe(1 + (Number(id) % 3))

        // The next change of each store comes after everything the release before wrote.
        const update = await t.writeOk('todos', [
          entry('update', 5, { value: { title: 'new' }, baseVersion: 3 }),
        ])
        expect(update.items[0]).toMatchObject({ status: 'confirmed', version: 4 })
        const note = await t.writeOk('notes', [entry('create', 'c', { value: {} })])
        expect(note.items[0]).toMatchObject({ status: 'confirmed', version: 8 })
        const { body } = await t.post({ stores: ['todos'], cursor }, { path: '/pull' })
        expect(body).toMatchObject({ changes: [{ store: 'todos', id: 5, version: 4 }], more: false })
      } finally {
        await t.close()
      }
    } finally {
      await second.dispose()
    }
  })
})
