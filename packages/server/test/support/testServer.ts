import { randomUUID } from 'node:crypto'
import type {
  OpsResponse,
  Query,
  RemoteOpResult,
  RemoteWriteEntry,
  RemoteWriteResult,
} from '@atoma/runtime/protocol'
import { expect } from 'vitest'
import type { CollectionConfig } from '../../src/collections.js'
import { type RunningServer, type ServerOptions, startServer } from '../../src/server.js'
import { send } from './send.js'
import { openTestDb, type TestDb } from './testDb.js'

export const COLLECTIONS: CollectionConfig[] = [
  {
    name: 'todos',
    key: 'id',
    fields: { title: 'text', priority: 'number', done: 'boolean', tags: 'array', note: 'text' },
  },
  { name: 'notes', key: 'slug', fields: { body: 'text' } },
]

export interface TestServer {
  server: RunningServer
  database: TestDb
  /** POSTs a body to `path` (default the ops endpoint): a string or bytes as they are, anything else as JSON. */
  post(
    body: unknown,
    init?: { path?: string; contentType?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Record<string, string | string[] | undefined> }>
  /** POSTs ops and expects a 200 with one result per op. */
  ops(ops: unknown[]): Promise<RemoteOpResult[]>
  query(store: string, query: Query | unknown): Promise<RemoteOpResult>
  write(store: string, entries: unknown): Promise<RemoteOpResult>
  /** A write that must come back as an ok write result. */
  writeOk(store: string, entries: unknown[]): Promise<RemoteWriteResult>
  /** Empties the tables: no items, no keys, every sequence back to the start. */
  reset(): Promise<void>
  close(): Promise<void>
}

/** A server on a database of its own, or on `shared` (which close() then leaves open). */
export async function startTestServer(
  options: Partial<ServerOptions> = {},
  shared?: TestDb,
): Promise<TestServer> {
  const database = shared ?? (await openTestDb())
  // No rate limit unless a test asks for one: the suites send hundreds of requests a second.
  const server = await startServer({
    collections: COLLECTIONS,
    db: database.db,
    port: 0,
    rateLimit: false,
    ...options,
  })
  let opCounter = 0

  const post: TestServer['post'] = async (body, init = {}) => {
    const response = await send(`${server.url}${init.path ?? '/ops'}`, {
      headers: { 'content-type': init.contentType ?? 'application/json', ...init.headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    })
    return {
      status: response.status,
      body: response.text === '' ? undefined : JSON.parse(response.text),
      headers: response.headers,
    }
  }

  const ops: TestServer['ops'] = async (list) => {
    const { status, body } = await post({ ops: list })
    expect(status, JSON.stringify(body)).toBe(200)
    const { results } = body as OpsResponse
    expect(results).toHaveLength(list.length)
    return results
  }

  const single = async (op: Record<string, unknown>): Promise<RemoteOpResult> => {
    const [result] = await ops([{ opId: `op-${++opCounter}`, ...op }])
    if (result === undefined) throw new Error('no result')
    return result
  }

  return {
    server,
    database,
    post,
    ops,
    query: (store, query) => single({ kind: 'query', store, query }),
    write: (store, entries) => single({ kind: 'write', store, entries }),
    async writeOk(store, entries) {
      const result = await single({ kind: 'write', store, entries })
      if (!result.ok || result.kind !== 'write') throw new Error(`write failed: ${JSON.stringify(result)}`)
      return result
    },
    async reset() {
      await database.db.query('DELETE FROM atoma_items')
      await database.db.query('DELETE FROM atoma_idempotency')
      await database.db.query('DELETE FROM atoma_stores')
    },
    async close() {
      await server.close()
      if (shared === undefined) await database.dispose()
    },
  }
}

/** A write entry with fresh entryId and idempotency key unless given. */
export function entry(
  op: RemoteWriteEntry['op'],
  id: string | number,
  rest: Partial<RemoteWriteEntry> = {},
): RemoteWriteEntry {
  const key = randomUUID()
  return { entryId: `e-${key}`, op, id, idempotencyKey: key, clientTimeMs: Date.now(), ...rest }
}

/** The items of a query that must succeed. */
export function itemsOf(result: RemoteOpResult): unknown[] {
  if (!result.ok || result.kind !== 'query') throw new Error(`query failed: ${JSON.stringify(result)}`)
  return result.items.map((item) => item.value)
}

/** The ids of a query that must succeed, in order. */
export function idsOf(result: RemoteOpResult): unknown[] {
  if (!result.ok || result.kind !== 'query') throw new Error(`query failed: ${JSON.stringify(result)}`)
  return result.items.map((item) => item.id)
}

/** The error of an op that must fail. */
export function opError(result: RemoteOpResult): { code: string; message: string; retryable: boolean } {
  if (result.ok) throw new Error(`expected an op error, got ${JSON.stringify(result)}`)
  return result.error
}
