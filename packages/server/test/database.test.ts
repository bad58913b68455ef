import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { DatabaseOptions } from '../src/db/openDatabase.js'
import { startServer } from '../src/server.js'
import { COLLECTIONS, entry } from './support/testServer.js'

/**
 * The server opening its own database from options, the way the CLI does: PGlite in a data
 * directory, or (when the suite runs on PostgreSQL) a PostgreSQL server in a schema of its own.
 */
const url = process.env.ATOMA_TEST_DATABASE_URL
let database: DatabaseOptions
let cleanup: () => Promise<void>

beforeAll(async () => {
  if (url) {
    const schema = `atoma_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`
    database = { kind: 'postgres', url, schema }
    cleanup = async () => {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'atoma-data-'))
    // Starting from the initialized template skips PGlite's initdb (seconds) for the directory.
    const template = await readFile(inject('pgliteTemplate'))
    await (await PGlite.create(dataDir, { loadDataDir: new Blob([template]) })).close()
    database = { kind: 'pglite', dataDir }
    cleanup = () => rm(dataDir, { recursive: true, force: true })
  }
})
afterAll(() => cleanup())

async function post(serverUrl: string, ops: unknown[]): Promise<unknown> {
  const response = await fetch(`${serverUrl}/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ops }),
  })
  return response.json()
}

describe('a database the server opens itself', () => {
  it('keeps items and idempotency keys across restarts', async () => {
    const create = entry('create', 'kept', { value: { title: 'survives a restart' } })
    const first = await startServer({ collections: COLLECTIONS, database, port: 0 })
    expect(first.db.kind).toBe(url ? 'postgres' : 'pglite')
    await post(first.url, [{ opId: 'w', kind: 'write', store: 'todos', entries: [create] }])
    await first.close()

    const second = await startServer({ collections: COLLECTIONS, database, port: 0 })
    expect(await post(second.url, [{ opId: 'q', kind: 'query', store: 'todos', query: {} }])).toEqual({
      results: [
        {
          opId: 'q',
          ok: true,
          kind: 'query',
          items: [{ id: 'kept', version: 1, value: { id: 'kept', title: 'survives a restart' } }],
        },
      ],
    })
    // The replayed create answers from the stored key instead of conflicting with the item.
    expect(
      await post(second.url, [{ opId: 'w', kind: 'write', store: 'todos', entries: [create] }]),
    ).toMatchObject({
      results: [{ ok: true, status: 'confirmed', items: [{ status: 'confirmed', version: 1 }] }],
    })
    await second.close()
  })
})
