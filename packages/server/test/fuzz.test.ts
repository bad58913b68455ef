import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { parseCollections } from '../src/collections.js'
import type { Db } from '../src/db/db.js'
import { migrate } from '../src/db/migrate.js'
import { pgliteDb } from '../src/db/pglite.js'
import { openPostgres } from '../src/db/postgres.js'
import { parseWriteEntries } from '../src/validate/parseWriteEntries.js'
import { type ChildServer, startChildServer } from './support/childServer.js'
import { type Sent, send } from './support/send.js'
import { entry } from './support/testServer.js'
import { AUDIENCE, ISSUER, SECRET, tamper, token, unsignedToken } from './support/tokens.js'

/**
 * Hostile traffic against the CLI server in a process of its own with a 256 MiB heap, JWT
 * authentication and per-owner rules: malformed bodies and ops, auth bypass attempts, reads
 * of the other user's rows through where / orderBy / offset tricks and hidden fields, writes
 * that must be refused (the other user's rows, another principal's idempotency key, 1e309,
 * forbidden keys), and the amplification requests of issue 14. Every input must get a clear
 * 4xx or per-op errors (or, for a read, only the sender's own rows), the process must live, and
 * the database must be unchanged. Prints a table; replay with ATOMA_FUZZ_SEED, size with
 * ATOMA_FUZZ_RUNS.
 */
const SEED = Number(process.env.ATOMA_FUZZ_SEED ?? 20_250_601)
const RUNS = Number(process.env.ATOMA_FUZZ_RUNS ?? 2000)
const MAX_BODY = 16 * 1024
const PRINCIPALS = ['alice', 'bob'] as const
type Who = (typeof PRINCIPALS)[number]
const MARKER: Record<Who, string> = { alice: 'ALICEPRIVATE', bob: 'BOBPRIVATE' }
const HIDDEN_MARKER = 'TOPSECRET'

const owned = (read: object) => ({ read, fields: { secret: { read: { 'claims.role': 'admin' } } } })
const COLLECTIONS = [
  {
    name: 'todos',
    fields: {
      ownerId: 'text',
      title: 'text',
      priority: 'number',
      done: 'boolean',
      tags: 'array',
      secret: 'text',
    },
    authorize: owned({ ownerId: { $principal: 'id' } }),
  },
  {
    name: 'notes',
    key: 'slug',
    fields: { ownerId: 'text', body: 'text' },
    authorize: owned({ ownerId: { $principal: 'id' } }),
  },
  {
    name: 'blobs',
    fields: { ownerId: 'text', title: 'text' },
    authorize: owned({ ownerId: { $principal: 'id' } }),
  },
]

// Seeded rows: alice owns 1, 2, 'a'; bob owns 3, 'b', 'c'. Each carries its owner's marker and a hidden secret.
const ROWS: { id: number | string; ownerId: Who }[] = [
  { id: 1, ownerId: 'alice' },
  { id: 2, ownerId: 'alice' },
  { id: 'a', ownerId: 'alice' },
  { id: 3, ownerId: 'bob' },
  { id: 'b', ownerId: 'bob' },
  { id: 'c', ownerId: 'bob' },
]
const EXISTING = ROWS.map((row) => row.id)
// Bob's confirmed create of 'c': replayed by bob it answers his stored result; sent by alice it is a new key.
const BOBS_CREATE = {
  ...entry('create', 'c', {
    value: {
      ownerId: 'bob',
      title: `${MARKER.bob}-c`,
      priority: 3,
      tags: ['x'],
      secret: `${HIDDEN_MARKER}-c`,
    },
  }),
  entryId: 'replay-bob',
}

const SECRET_ENV = 'ATOMA_FUZZ_JWT_SECRET'
const BAD_AUTH = [
  'none',
  'garbage',
  'forged',
  'expired',
  'audience',
  'issuer',
  'alg-none',
  'other-secret',
  'no-sub',
] as const
type Auth = Who | (typeof BAD_AUTH)[number]

let child: ChildServer
let database: { open(): Promise<Db>; dispose(): Promise<void>; args: string[]; env: NodeJS.ProcessEnv }
let before: string
const headersFor = new Map<Auth, Record<string, string>>()

beforeAll(async () => {
  database = await fuzzDatabase()
  const db = await database.open()
  await migrate(db)
  await seed(db)
  before = await fingerprint(db)
  await db.close()

  const dir = await mkdtemp(join(tmpdir(), 'atoma-fuzz-'))
  const config = join(dir, 'config.json')
  await writeFile(
    config,
    JSON.stringify({
      collections: COLLECTIONS,
      auth: { jwt: { secretEnv: SECRET_ENV, issuer: ISSUER, audience: AUDIENCE } },
      limits: { maxBodyBytes: MAX_BODY, requestTimeoutMs: 3000 },
      rateLimit: { perSecond: 20, burst: 1500 },
    }),
  )
  child = await startChildServer(['--config', config, '--port', '0', ...database.args], {
    nodeFlags: ['--max-old-space-size=256'],
    env: { ...database.env, [SECRET_ENV]: SECRET },
  })
  await rm(dir, { recursive: true, force: true })

  const alice = await token('alice')
  for (const who of PRINCIPALS) headersFor.set(who, { authorization: `Bearer ${await token(who)}` })
  const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` })
  headersFor.set('none', {})
  headersFor.set('garbage', { authorization: 'Bearer garbage.garbage.garbage' })
  headersFor.set('forged', bearer(tamper(alice, { sub: 'bob', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })))
  headersFor.set('expired', bearer(await token('alice', { expiresIn: -120 })))
  headersFor.set('audience', bearer(await token('alice', { audience: 'another-app' })))
  headersFor.set('issuer', bearer(await token('alice', { issuer: 'https://evil.example' })))
  headersFor.set('alg-none', bearer(unsignedToken({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })))
  headersFor.set('other-secret', bearer(await token('alice', { secret: 'y'.repeat(40) })))
  headersFor.set('no-sub', bearer(await token(undefined)))
}, 120_000)

afterAll(async () => {
  await child?.stop()
  await database?.dispose()
})

/** PGlite in a data directory the child opens (from the migrated template), or a fresh PostgreSQL database. */
async function fuzzDatabase(): Promise<typeof database> {
  const url = process.env.ATOMA_TEST_DATABASE_URL
  if (url) {
    const name = `atoma_fuzz_${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const target = new URL(url)
    target.pathname = `/${name}`
    return {
      open: () => openPostgres({ url: target.href, max: 2 }),
      args: [],
      env: { DATABASE_URL: target.href },
      async dispose() {
        const cleanup = new pg.Client({ connectionString: url })
        await cleanup.connect()
        await cleanup.query(`DROP DATABASE IF EXISTS ${name}`)
        await cleanup.end()
      },
    }
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'atoma-fuzz-data-'))
  const template = await readFile(inject('pgliteTemplate'))
  await (await PGlite.create(dataDir, { loadDataDir: new Blob([template]) })).close()
  return {
    open: async () => pgliteDb(await PGlite.create(dataDir)),
    args: ['--data', dataDir],
    env: { DATABASE_URL: '' },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  }
}

async function seed(db: Db): Promise<void> {
  for (const { id, ownerId } of ROWS) {
    const value =
      id === 'c'
        ? (BOBS_CREATE.value as Record<string, unknown>)
        : {
            id,
            ownerId,
            title: `${MARKER[ownerId]}-${id}`,
            priority: 1,
            tags: ['x'],
            secret: `${HIDDEN_MARKER}-${id}`,
          }
    await db.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES ('todos', $1::text, $2::text, 1, $3::text::jsonb)`,
      [typeof id === 'number' ? 'number' : 'string', String(id), JSON.stringify({ ...value, id })],
    )
  }
  const [parsed] = parseWriteEntries([BOBS_CREATE], parseCollections(COLLECTIONS).get('todos')!, 1)
  if (parsed === undefined || !('entry' in parsed)) throw new Error("bob's create must parse")
  await db.query(
    `INSERT INTO atoma_idempotency (store, principal, key, request_hash, version, value)
     SELECT 'todos', 'bob', $1::text, $2::text, 1, data FROM atoma_items WHERE store = 'todos' AND id = 'c'`,
    [BOBS_CREATE.idempotencyKey, parsed.entry.requestHash],
  )
  // 36 MB of alice's rows: 1,000 of 36 KB, the amplification target of issue 14.
  await db.query(
    `INSERT INTO atoma_items (store, id_kind, id, version, data)
     SELECT 'blobs', 'number', g::text, 1,
       jsonb_build_object('id', g, 'ownerId', 'alice', 'title', repeat(md5(g::text), 1125), 'secret', '${HIDDEN_MARKER}')
     FROM generate_series(1, 1000) g`,
  )
  // Each store's sequence where a release with the change log would have left it.
  await db.query(
    'INSERT INTO atoma_stores (store, version) SELECT store, max(version) FROM atoma_items GROUP BY store',
  )
}

/** A digest of every row and key: equal digests mean an unchanged database. */
async function fingerprint(db: Db): Promise<string> {
  const [row] = await db.query(
    `SELECT
       (SELECT md5(coalesce(string_agg(concat_ws('|', store, id_kind, id, version, deleted, data::text), E'\\n' ORDER BY store, id_kind, id), '')) FROM atoma_items) AS items,
       (SELECT md5(coalesce(string_agg(concat_ws('|', store, principal, key, request_hash, version, value::text), E'\\n' ORDER BY store, principal, key), '')) FROM atoma_idempotency) AS keys,
       (SELECT string_agg(store || '=' || version, ',' ORDER BY store) FROM atoma_stores) AS stores`,
  )
  return JSON.stringify(row)
}

// ---- inputs ----------------------------------------------------------------------------------

const injection = fc.constantFrom(
  "' OR '1'='1",
  "'; DROP TABLE atoma_items; --",
  'title"); DELETE FROM atoma_items; --',
  '$1',
  '\\',
  '%',
  '_',
  "data->>'id'",
  '1; SELECT pg_sleep(10)',
  '\u0000',
  '\uD800',
  '__proto__',
  'constructor',
  'prototype',
)
const hostileString = fc.oneof(
  injection,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
)
const hugeString = fc.integer({ min: MAX_BODY, max: MAX_BODY * 3 }).map((n) => 'x'.repeat(n))
const anyJson = fc.jsonValue({ maxDepth: 3 })
const deep = fc.integer({ min: 65, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`)
/** Replaced by the sender's principal id when the request goes out. */
const ME = '$ME'

const badWhere = fc.oneof(
  hostileString.map((field) => ({ [`${field}x`]: 1 })),
  injection.map((value) => ({ title: { like: value } })),
  fc.record({ title: fc.constant({ eq: { nested: 1 } }) }),
  anyJson.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
  fc.constant({ priority: { contains: 1 } }),
  fc.constant({ tags: { gt: 'a' } }),
  injection.map((value) => ({ or: [{ title: value }, { [value]: 1 }] })),
  fc.integer({ min: 17, max: 40 }).map((levels) => {
    let where: Record<string, unknown> = { done: true }
    for (let level = 0; level < levels; level++) where = { not: where }
    return where
  }),
)
// Reads that succeed, and must answer only the sender's rows: the other owner named outright,
// negations, disjunctions, id lists, paging and sorting tricks.
const probeWhere = fc.oneof(
  fc.constantFrom(...PRINCIPALS, 'mallory', ME).map((ownerId) => ({ ownerId })),
  fc.constant({ ownerId: { ne: ME } }),
  fc.constant({ not: { ownerId: ME } }),
  fc.constant({ or: [{ ownerId: 'alice' }, { ownerId: 'bob' }] }),
  fc.constant({ or: [{ ownerId: { ne: ME } }, { id: { in: EXISTING } }] }),
  fc.constant({ id: { in: EXISTING } }),
  fc.constantFrom(...Object.values(MARKER)).map((marker) => ({ title: { startsWith: marker } })),
  fc.constant({ ownerId: { in: ['alice', 'bob', null] } }),
  fc.constant({ ownerId: null }),
)
const probeQuery = fc.record(
  {
    where: probeWhere,
    orderBy: fc.constantFrom(
      [['title', 'desc']],
      [['priority', 'asc']],
      [['id', 'desc']],
      [['ownerId', 'asc']],
    ),
    offset: fc.integer({ min: 0, max: 8 }),
    limit: fc.integer({ min: 0, max: 8 }),
  },
  { requiredKeys: [] },
)
// Probing the hidden field: refused (FORBIDDEN) wherever it is named.
const hiddenProbe = fc.constantFrom(
  { where: { secret: { startsWith: HIDDEN_MARKER } } },
  { where: { not: { secret: null } } },
  { orderBy: [['secret', 'asc']] },
  { where: { or: [{ ownerId: 'bob' }, { secret: { contains: 'SECRET' } }] } },
)
const badQuery = fc.oneof(
  badWhere.map((where) => ({ where })),
  fc.record({
    limit: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), hostileString, fc.constant(1e9)),
  }),
  fc.record({ offset: fc.oneof(fc.integer({ max: -1 }), hostileString) }),
  hostileString.map((field) => ({ orderBy: [[field, 'asc']] })),
  injection.map((direction) => ({ orderBy: [['title', direction]] })),
  anyJson.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
  fc.dictionary(
    hostileString.filter((key) => !['where', 'orderBy', 'limit', 'offset'].includes(key)),
    anyJson,
    { minKeys: 1, maxKeys: 3 },
  ),
)

const existingId = fc.constantFrom(...EXISTING)
const missingId = fc.oneof(
  fc.integer({ min: 1000 }),
  injection.filter((s) => s !== '\u0000' && s !== '\uD800'),
)
// Well-formed writes that must fail whoever sends them: on the data (duplicates, missing ids,
// stale versions) or on the rules (another owner, the hidden field, another principal's key).
const failingEntry = fc.oneof(
  fc.tuple(existingId, anyJson).map(([id, title]) => entry('create', id, { value: { ownerId: ME, title } })),
  fc.tuple(missingId, hostileString).map(([id, title]) => entry('update', id, { value: { title } })),
  missingId.map((id) => entry('delete', id)),
  fc
    .tuple(existingId, fc.integer({ min: 2, max: 1000 }))
    .map(([id, baseVersion]) =>
      entry('patch', id, { baseVersion, patches: [{ op: 'replace', path: ['title'], value: 'stale' }] }),
    ),
  existingId.map((id) => entry('delete', id, { baseVersion: 7 })),
  existingId.map((id) =>
    entry('patch', id, { patches: [{ op: 'replace', path: ['no', 'such', 'path'], value: 1 }] }),
  ),
  existingId.map((id) =>
    entry('patch', id, { patches: [{ op: 'replace', path: ['ownerId'], value: 'mallory' }] }),
  ),
  existingId.map((id) =>
    entry('patch', id, { patches: [{ op: 'replace', path: ['secret'], value: 'mine now' }] }),
  ),
  existingId.map((id) => entry('upsert', id, { value: { ownerId: 'mallory', title: 'taken' } })),
  fc.integer({ min: 8000, max: 8999 }).map((id) => entry('create', id, { value: { ownerId: 'mallory' } })),
  fc
    .integer({ min: 8000, max: 8999 })
    .map((id) => entry('create', id, { value: { ownerId: ME, secret: 'planted' } })),
  fc.constant(BOBS_CREATE),
  fc.integer({ min: 8000, max: 8999 }).map((id) => ({
    ...entry('create', id, { value: { ownerId: 'mallory' } }),
    idempotencyKey: BOBS_CREATE.idempotencyKey,
  })),
  fc
    .integer({ min: 8000, max: 8999 })
    .map((id) => entry('create', id, { value: { ownerId: ME, tags: [{ constructor: { x: 1 } }] } })),
)
// Malformed entries: rejected on their own (VALIDATION), or failing the whole op when they have no usable entryId.
const malformedEntry = fc.oneof(
  fc
    .constantFrom('__proto__', 'constructor', 'prototype')
    .map((segment) =>
      entry('patch', 1, { patches: [{ op: 'replace', path: [segment, 'polluted'], value: true }] }),
    ),
  fc.record({ entryId: hostileString, op: hostileString, id: anyJson }),
  hostileString.map((id) => entry('create', 5000, { value: { id, ownerId: ME } })),
  anyJson.map((value) => ({
    ...entry('create', 5001, { value: {} }),
    value: Array.isArray(value) ? value : [value],
  })),
  fc
    .constantFrom('\u0000', '\uD800', '\uDC00x')
    .map((text) => entry('create', 5002, { value: { ownerId: ME, title: text } })),
  anyJson.map((idempotencyKey) => ({
    ...entry('create', 5003, { value: { ownerId: ME } }),
    idempotencyKey: [idempotencyKey],
  })),
  anyJson,
)
const storeName = fc.oneof(
  fc.constantFrom('todos', 'notes'),
  hostileString,
  hugeString.map((s) => s.slice(0, 2000)),
)
const opId = fc.string({ minLength: 1 })

const op = fc.oneof(
  fc.record({ opId, kind: fc.constant('query'), store: fc.constant('todos'), query: badQuery }),
  fc.record({
    opId,
    kind: fc.constant('query'),
    store: fc.constantFrom('todos', 'notes'),
    query: probeQuery,
  }),
  fc.record({
    opId,
    kind: fc.constant('query'),
    store: fc.constantFrom('todos', 'notes'),
    query: hiddenProbe,
  }),
  fc.record({ opId, kind: fc.constant('query'), store: hostileString, query: fc.constant({}) }),
  fc.record({
    opId,
    kind: fc.constant('write'),
    store: fc.constant('todos'),
    entries: fc.array(failingEntry, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    opId,
    kind: fc.constant('write'),
    store: fc.constant('todos'),
    entries: fc
      .tuple(fc.array(failingEntry, { maxLength: 1 }), malformedEntry)
      .map(([good, bad]) => [...good, bad]),
  }),
  fc.record({
    opId,
    kind: fc.constant('write'),
    store: storeName.filter((store) => store !== 'todos' && store !== 'notes'),
    entries: fc.array(fc.constant(entry('create', 7000, { value: {} })), { maxLength: 1 }),
  }),
  fc.record({ opId, kind: hostileString, store: storeName }),
)

interface Input {
  auth: Auth
  body: string | Uint8Array<ArrayBuffer>
  contentType?: string
  path?: string
  method?: string
}
/** The same create, patch and query with a number JSON reads as Infinity spliced in (the encoder cannot write one). */
const infinite = fc.constantFrom(
  `{"ops":[{"opId":"w","kind":"write","store":"todos","entries":[${JSON.stringify(entry('create', 8500, { value: { ownerId: ME, priority: 0 } })).replace('"priority":0', '"priority":1e309')}]}]}`,
  `{"ops":[{"opId":"w","kind":"write","store":"todos","entries":[${JSON.stringify(entry('patch', 1, { patches: [{ op: 'replace', path: ['priority'], value: 0 }] })).replace('"value":0', '"value":-1e309')}]}]}`,
  '{"ops":[{"opId":"q","kind":"query","store":"todos","query":{"where":{"priority":1e309}}}]}',
  '{"ops":[{"opId":"q","kind":"query","store":"todos","query":{"where":{"priority":{"in":[1,1e400]}}}}]}',
)
const body: fc.Arbitrary<Omit<Input, 'auth'>> = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ body: text })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ body: bytes })),
  anyJson.map((value) => ({ body: JSON.stringify({ ops: value }) })),
  anyJson.map((value) => ({ body: JSON.stringify(value) })),
  fc.array(op, { minLength: 1, maxLength: 5 }).map((ops) => ({ body: JSON.stringify({ ops }).slice(0, -3) })),
  deep.map((text) => ({ body: text })),
  hugeString.map((title) => ({
    body: JSON.stringify({
      ops: [{ opId: 'h', kind: 'query', store: 'todos', query: { where: { title } } }],
    }),
  })),
  fc.integer({ min: 101, max: 160 }).map((n) => ({
    body: JSON.stringify({ ops: Array.from({ length: n }, (_, i) => ({ opId: `o${i}` })) }),
  })),
  fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({
    body: JSON.stringify({ ops }).replace(/\{"opId"/, '{"__proto__":{"polluted":true},"opId"'),
  })),
  infinite.map((text) => ({ body: text })),
  // Envelopes whose every op is hostile (the bulk of the inputs).
  ...Array.from({ length: 4 }, () =>
    fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => ({ body: JSON.stringify({ ops }) })),
  ),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', '', 'json')
    .map((contentType) => ({ body: '{"ops":[]}', contentType })),
  fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH').map((method) => ({ body: '', method })),
  hostileString.map((segment) => ({
    body: '{"ops":[]}',
    path: `/${encodeURIComponent(Buffer.from(segment).toString())}`,
  })),
  fc.constantFrom('/chaos', '/health').map((path) => ({ body: '{"failureRate":1}', path })),
)
const input: fc.Arbitrary<Input> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PRINCIPALS) },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_AUTH) },
    ),
    body,
  )
  .map(([auth, rest]) => ({ auth, ...rest }))

/** The amplification requests of issue 14, as alice (the blobs' owner), and one as bob (nothing to read, a scan to pay). */
const AMPLIFICATION: (Input & { codes: string[] })[] = [
  ...Array.from({ length: 5 }, () => [
    { auth: 'alice' as const, codes: ['RESPONSE_TOO_LARGE'], body: queries(100, { limit: 1000 }) },
    { auth: 'alice' as const, codes: ['RESPONSE_TOO_LARGE'], body: queries(50, {}) },
    {
      auth: 'alice' as const,
      codes: ['RESPONSE_TOO_LARGE'],
      body: queries(100, { orderBy: [['title', 'desc']], limit: 1000 }),
    },
  ]).flat(),
  { auth: 'bob', codes: ['TIMEOUT'], body: queries(100, { where: { title: { contains: 'zz' } } }) },
]

function queries(count: number, query: object): string {
  return JSON.stringify({
    ops: Array.from({ length: count }, (_, i) => ({ opId: `q${i}`, kind: 'query', store: 'blobs', query })),
  })
}

// ---- checking answers ------------------------------------------------------------------------

/** Why an answer is wrong, or undefined when it is right. */
function wrongAnswer(item: Input, status: number, text: string, codes?: string[]): string | undefined {
  const principal = PRINCIPALS.find((who) => who === item.auth)
  const path = item.path ?? '/ops'
  const method = item.method ?? 'POST'
  if (status < 400 && status !== 200) return `status ${status}`
  if (status >= 500) return `status ${status}`
  for (const who of PRINCIPALS)
    if (who !== principal && text.includes(MARKER[who])) return `${who}'s data leaked`
  if (text.includes(HIDDEN_MARKER)) return 'a hidden field leaked'
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return 'not JSON'
  }
  if (principal === undefined && path === '/ops' && method === 'POST') {
    return status === 401 && (parsed as { error?: { code?: string } }).error?.code === 'UNAUTHENTICATED'
      ? undefined
      : `no valid principal, answered ${status}`
  }
  if (status !== 200) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown; retryable?: unknown } }).error
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return 'no error body'
    return error.retryable === (status === 429)
      ? undefined
      : `retryable ${String(error.retryable)} on ${status}`
  }
  if (path === '/health') return text === '{"ok":true}' ? undefined : 'health says more than ok'
  if (path !== '/ops') return `answered 200 on ${path}`
  for (const result of (parsed as { results: Record<string, unknown>[] }).results) {
    const reason = wrongResult(result, principal ?? 'alice', codes)
    if (reason !== undefined) return reason
  }
  return undefined
}

function wrongResult(result: Record<string, unknown>, principal: Who, codes?: string[]): string | undefined {
  const code = (error: unknown) => (error as { code: string }).code
  if (result.ok === false) {
    if (codes !== undefined)
      return codes.includes(code(result.error)) ? undefined : `op failed with ${code(result.error)}`
    return code(result.error) === 'TRANSPORT' ? 'an internal error' : undefined
  }
  if (result.kind === 'query') {
    const items = result.items as { value: Record<string, unknown> }[]
    if (codes !== undefined && items.length > 0) return 'an amplification query answered rows'
    if (items.some((item) => item.value.ownerId !== principal)) return "another owner's row answered"
    if (items.some((item) => 'secret' in item.value)) return 'a hidden field answered'
    return undefined
  }
  const entries = result.items as {
    entryId: string
    status: string
    error?: unknown
    value?: { ownerId?: unknown }
  }[]
  for (const item of entries) {
    if (item.status === 'rejected') {
      if (code(item.error) === 'TRANSPORT') return 'an entry failed internally'
    } else if (!(item.entryId === 'replay-bob' && principal === 'bob' && item.value?.ownerId === 'bob')) {
      return `entry ${item.entryId} confirmed`
    }
  }
  return undefined
}

async function sendInput(item: Input): Promise<Sent> {
  const raw =
    typeof item.body === 'string'
      ? item.body.replaceAll(
          `"${ME}"`,
          JSON.stringify(PRINCIPALS.find((who) => who === item.auth) ?? 'alice'),
        )
      : item.body
  return send(`${child.url}${item.path ?? '/ops'}`, {
    method: item.method ?? 'POST',
    headers: { 'content-type': item.contentType ?? 'application/json', ...headersFor.get(item.auth) },
    body: raw,
  })
}

describe('fuzz', () => {
  it(`answers ${RUNS} hostile inputs and the amplification requests with 4xx or per-op errors, leaks nothing and changes nothing`, async () => {
    console.log(`fuzz seed: ${SEED} (ATOMA_FUZZ_SEED replays it), ${RUNS} inputs (ATOMA_FUZZ_RUNS)`)
    const statuses = new Map<number, number>()
    const wrong: string[] = []
    let tried = 0
    const tally = (item: Input, status: number, text: string, codes?: string[]) => {
      tried++
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      const reason = wrongAnswer(item, status, text, codes)
      if (reason !== undefined) {
        wrong.push(
          `${reason}: as ${item.auth} ${item.method ?? 'POST'} ${item.path ?? '/ops'} ${String(item.body).slice(0, 300)} → ${status} ${text.slice(0, 300)}`,
        )
      }
    }

    for (const item of fc.sample(input, { seed: SEED, numRuns: RUNS })) {
      if (child.exit !== undefined) break
      const { status, text } = await sendInput(item)
      tally(item, status, text)
    }

    // Amplification, two at a time, with a small request of alice's answered meanwhile.
    for (let index = 0; index < AMPLIFICATION.length && child.exit === undefined; index += 2) {
      const batch = AMPLIFICATION.slice(index, index + 2)
      const small = sendInput({
        auth: 'alice',
        body: '{"ops":[{"opId":"s","kind":"query","store":"todos","query":{"where":{"id":1}}}]}',
      })
      const answers = await Promise.all(batch.map(sendInput))
      for (const [i, answer] of answers.entries())
        tally(batch[i]!, answer.status, answer.text, batch[i]!.codes)
      const { status, text } = await small
      tally({ auth: 'alice', body: 'small request during amplification' }, status, text)
      if (!text.includes(`"${MARKER.alice}-1"`))
        wrong.push(`the small request did not get its row: ${text.slice(0, 200)}`)
    }

    // A burst of 2,000 requests from one principal: past its bucket (1,500), 429 with Retry-After.
    headersFor.set('alice', { authorization: `Bearer ${await token('flood')}` })
    const burst = { auth: 'alice' as const, body: '{"ops":[]}' }
    let limited = 0
    for (let round = 0; round < 40 && child.exit === undefined; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => sendInput(burst)))
      for (const answer of answers) {
        if (answer.status === 429) {
          limited++
          if (
            !/^[1-9]\d*$/.test(String(answer.headers['retry-after'])) ||
            !answer.text.includes('"retryAfterMs"')
          ) {
            wrong.push(`a 429 without Retry-After or retryAfterMs: ${answer.text}`)
          }
        } else if (answer.status !== 200) wrong.push(`burst answered ${answer.status}`)
      }
    }
    tried++
    if (limited < 100) wrong.push(`the burst met the rate limit only ${limited} times`)

    const alive = child.exit === undefined
    const health = alive ? await send(`${child.url}/health`, { method: 'GET' }) : undefined
    await child.stop()
    const db = await database.open()
    const after = await fingerprint(db)
    await db.close()

    const table = [
      '| inputs tried | crashed | answered wrong | database changed |',
      '| --- | --- | --- | --- |',
      `| ${tried} (${RUNS} generated, ${AMPLIFICATION.length} amplification + ${AMPLIFICATION.length / 2} small meanwhile, 1 burst of 2,000 requests) | ${alive ? 0 : 1} | ${wrong.length} | ${after === before ? 'no' : 'yes'} |`,
    ].join('\n')
    console.log(
      `fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}, 429s in the burst: ${limited}\n${table}`,
    )
    if (!alive) console.log(`the server exited (${JSON.stringify(child.exit)}):\n${child.stderr()}`)
    expect(wrong.slice(0, 5)).toEqual([])
    expect(alive).toBe(true)
    expect(health?.text).toBe('{"ok":true}')
    expect(after).toBe(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(statuses.get(200)).toBeGreaterThan(RUNS / 8)
    expect(statuses.get(401)).toBeGreaterThan(RUNS / 10)
    expect(statuses.get(400)).toBeGreaterThan(RUNS / 20)
  }, 240_000)
})
