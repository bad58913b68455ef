import { createHash, randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectPokes } from '@atoma/connect'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChildServer } from '../support/childServer.js'
import { count, openPoke, type PokeClient } from '../support/pokeClient.js'
import { send } from '../support/send.js'
import { openTestDb, type TestDb } from '../support/testDb.js'
import { COLLECTIONS, entry, startTestServer } from '../support/testServer.js'

/**
 * Two servers on one database, each with its poke streams: a write through either pokes the
 * clients of both. On PostgreSQL (`npm run test:postgres`) they are two processes of the CLI, so
 * the pokes cross through LISTEN/NOTIFY; on PGlite, which serves one process, two servers share
 * one PGlite in this process, through its LISTEN/NOTIFY.
 */
const url = process.env.ATOMA_TEST_DATABASE_URL
const schema = `atoma_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`
let urls: [string, string]
let cleanup: () => Promise<void>

beforeAll(async () => {
  if (url) {
    const dir = await mkdtemp(join(tmpdir(), 'atoma-relay-'))
    const config = join(dir, 'config.json')
    await writeFile(config, JSON.stringify({ collections: COLLECTIONS }))
    const start = () =>
      startChildServer(['--config', config, '--port', '0', '--schema', schema], {
        env: { DATABASE_URL: url },
      })
    // Both at once: creating the schema and migrating must survive the race.
    const children = await Promise.all([start(), start()])
    urls = [children[0].url, children[1].url]
    cleanup = async () => {
      await Promise.all(children.map((child) => child.stop()))
      await rm(dir, { recursive: true, force: true })
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  } else {
    const database: TestDb = await openTestDb()
    const servers = [await startTestServer({}, database), await startTestServer({}, database)]
    urls = [servers[0]!.server.url, servers[1]!.server.url]
    cleanup = async () => {
      for (const server of servers) await server.close()
      await database.dispose()
    }
  }
})
afterAll(() => cleanup())

async function write(base: string, store: string, id: string): Promise<void> {
  const body = JSON.stringify({
    ops: [{ opId: 'w', kind: 'write', store, entries: [entry('create', id, { value: {} })] }],
  })
  const response = await send(`${base}/ops`, { headers: { 'content-type': 'application/json' }, body })
  expect(response.status).toBe(200)
}

describe('pokes across servers on one database', () => {
  it('a write through one server pokes the clients of both, and back', async () => {
    const [a, b] = urls
    const clients: PokeClient[] = [await openPoke(`${a}/poke`), await openPoke(`${b}/poke`)]
    try {
      const [onA, onB] = clients as [PokeClient, PokeClient]
      await Promise.all(clients.map((client) => client.until((text) => text.includes(': connected'))))
      await write(a, 'todos', 'from-a')
      await onB.until((text) => text.includes('event: poke'))
      await onA.until((text) => text.includes('event: poke'))
      expect(onB.pokes()).toEqual([{ stores: ['todos'] }])
      expect(onA.pokes()).toEqual([{ stores: ['todos'] }])

      await write(b, 'notes', 'from-b')
      await onA.until((text) => count(text, 'event: poke') === 2)
      expect(onA.pokes()).toEqual([{ stores: ['todos'] }, { stores: ['notes'] }])
      await onB.until((text) => count(text, 'event: poke') === 2)
    } finally {
      for (const client of clients) client.close()
    }
  })

  it("pokes the other server's Connect Subscribe streams too", async () => {
    const [a, b] = urls
    const controller = new AbortController()
    let onOpen = () => {}
    const open = new Promise<void>((resolve) => {
      onOpen = resolve
    })
    const pokes = connectPokes(
      { baseUrl: b, binary: true },
      { stores: ['todos'], signal: controller.signal, onOpen },
    )
    try {
      const first = pokes.next()
      await open
      await write(a, 'todos', 'to-subscribe')
      expect(await first).toEqual({ done: false, value: { stores: ['todos'] } })
    } finally {
      controller.abort()
    }
  })

  it('keeps poking after a LISTEN connection dropped: the streams hear "everything changed" once it is back', async () => {
    const [a, b] = urls
    const onB = await openPoke(`${b}/poke`)
    try {
      await onB.until((text) => text.includes(': connected'))
      if (url) {
        // Cut every LISTEN connection of this schema's channel, as a failover or a restart would.
        const channel = `atoma_poke_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`
        const admin = new pg.Client({ connectionString: url })
        await admin.connect()
        const cut = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()',
          [`LISTEN ${channel}`],
        )
        await admin.end()
        expect(cut.rowCount).toBe(2)
        await onB.until((text) => text.includes('event: poke'))
        expect(onB.pokes()).toEqual([{ stores: ['notes', 'todos'] }])
      }
      const before = count(onB.text(), 'event: poke')
      await write(a, 'todos', 'after-the-drop')
      await onB.until((text) => count(text, 'event: poke') === before + 1)
      expect(onB.pokes().at(-1)).toEqual({ stores: ['todos'] })
    } finally {
      onB.close()
    }
  })
})
