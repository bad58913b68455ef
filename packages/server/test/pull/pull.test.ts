import type { IncomingMessage } from 'node:http'
import type { PullChange, PullResponse } from '@atoma/runtime/protocol'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/auth/principal.js'
import type { CollectionConfig } from '../../src/collections.js'
import { entry, startTestServer, type TestServer } from '../support/testServer.js'

const authenticate = (req: IncomingMessage): Principal | null => {
  const user = req.headers['x-user']
  return typeof user === 'string' ? { id: user } : null
}

const COLLECTIONS: CollectionConfig[] = [
  // Each user reads (and so writes) their own tasks.
  {
    name: 'tasks',
    fields: { ownerId: 'text', title: 'text' },
    authorize: { read: { ownerId: { $principal: 'id' } } },
  },
  // Everyone reads every row; only alice reads (and writes) `secret`.
  { name: 'shared', fields: { title: 'text' }, authorize: { fields: { secret: { read: { id: 'alice' } } } } },
  { name: 'notes', key: 'slug', fields: { body: 'text' } },
]

const errors: unknown[] = []
let t: TestServer
beforeAll(async () => {
  t = await startTestServer({
    collections: COLLECTIONS,
    authenticate,
    limits: { maxPullLimit: 50 },
    onError: (error) => errors.push(error),
  })
})
beforeEach(async () => {
  errors.length = 0
  await t.reset()
})
afterAll(() => t.close())

const as = (user: string) => ({ 'x-user': user })

async function pull(body: unknown, user = 'alice') {
  return t.post(body, { path: '/pull', headers: as(user) })
}

async function pullOk(body: Record<string, unknown>, user = 'alice'): Promise<PullResponse> {
  const { status, body: answer } = await pull(body, user)
  expect(status, JSON.stringify(answer)).toBe(200)
  return answer as PullResponse
}

/** Pulls page after page until `more` is false: every change, the pages, the last cursor. */
async function pullAll(options: { user?: string; stores?: string[]; limit?: number; cursor?: string } = {}) {
  const { user = 'alice', stores, limit, cursor: start } = options
  const changes: PullChange[] = []
  const through: Array<Record<string, number> | undefined> = []
  let cursor = start
  let pages = 0
  for (;;) {
    const answer = await pullOk(
      { ...(stores ? { stores } : {}), ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) },
      user,
    )
    pages++
    changes.push(...answer.changes)
    through.push(answer.through)
    cursor = answer.cursor
    if (!answer.more) return { changes, cursor, pages, through }
    if (pages > 100) throw new Error('the pull never ends')
  }
}

async function write(store: string, user: string, entries: unknown[]) {
  const { status, body } = await t.post(
    { ops: [{ opId: 'w', kind: 'write', store, entries }] },
    { headers: as(user) },
  )
  expect(status).toBe(200)
  return body
}

const task = (id: string, ownerId = 'alice', title = `task ${id}`) =>
  entry('create', id, { value: { id, ownerId, title } })
const decode = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { s: Record<string, { v: number }> }

describe('POST /pull', () => {
  it('first pull: every live row in version order, no tombstones, and a cursor at the store’s sequence', async () => {
    await write('tasks', 'alice', [task('a'), task('b'), task('c'), task('d')])
    await write('tasks', 'alice', [
      entry('delete', 'b'),
      entry('update', 'a', { value: { id: 'a', ownerId: 'alice', title: 'A' } }),
    ])
    const answer = await pullOk({ stores: ['tasks'] })
    expect(answer.changes).toEqual([
      { store: 'tasks', id: 'c', version: 3, value: { id: 'c', ownerId: 'alice', title: 'task c' } },
      { store: 'tasks', id: 'd', version: 4, value: { id: 'd', ownerId: 'alice', title: 'task d' } },
      { store: 'tasks', id: 'a', version: 6, value: { id: 'a', ownerId: 'alice', title: 'A' } },
    ])
    expect(answer.more).toBe(false)
    expect(decode(answer.cursor).s).toEqual({ tasks: { v: 6 } })
    // Nothing changed: nothing comes, and the cursor stays where it is.
    expect(await pullOk({ stores: ['tasks'], cursor: answer.cursor })).toEqual({
      cursor: answer.cursor,
      changes: [],
      more: false,
      through: { tasks: 6 },
    })
  })

  it('with a cursor: each row changed since, as it is now; deletes as tombstones without a value', async () => {
    await write('tasks', 'alice', [task('a'), task('b'), task('c')])
    const { cursor } = await pullOk({ stores: ['tasks'] })
    await write('tasks', 'alice', [
      entry('update', 'a', { value: { id: 'a', ownerId: 'alice', title: 'one' } }),
      entry('delete', 'b'),
      entry('update', 'a', { value: { id: 'a', ownerId: 'alice', title: 'two' } }),
      task('new'),
      entry('delete', 'new'),
    ])
    const answer = await pullOk({ stores: ['tasks'], cursor })
    expect(answer.changes).toEqual([
      { store: 'tasks', id: 'b', version: 5, deleted: true },
      { store: 'tasks', id: 'a', version: 6, value: { id: 'a', ownerId: 'alice', title: 'two' } },
      { store: 'tasks', id: 'new', version: 8, deleted: true },
    ])
    expect(decode(answer.cursor).s.tasks).toEqual({ v: 8 })
  })

  it('pages in version order within the limit, each change once, more until the end', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `t${String(i).padStart(2, '0')}`)
    await write(
      'tasks',
      'alice',
      ids.map((id) => task(id)),
    )
    const { changes, pages, through } = await pullAll({ stores: ['tasks'], limit: 10 })
    expect(pages).toBe(3)
    // Each page says through which version the client now holds every change.
    expect(through).toEqual([{ tasks: 10 }, { tasks: 20 }, { tasks: 23 }])
    expect(changes.map((change) => change.id)).toEqual(ids)
    expect(changes.map((change) => change.version)).toEqual(ids.map((_, i) => i + 1))
  })

  it('a limit above limits.maxPullLimit is cut to it; a limit that is no positive integer is refused', async () => {
    await write(
      'notes',
      'alice',
      Array.from({ length: 60 }, (_, i) => entry('create', `n${i}`, { value: {} })),
    )
    const answer = await pullOk({ stores: ['notes'], limit: 1_000_000 })
    expect(answer.changes).toHaveLength(50)
    expect(answer.more).toBe(true)
    expect((await pullOk({ stores: ['notes'] })).changes).toHaveLength(50)
    for (const limit of [0, -1, 1.5, '10', null]) {
      const { status, body } = await pull({ limit })
      expect(status).toBe(400)
      expect(body).toMatchObject({
        error: { code: 'VALIDATION', message: 'limit must be a positive integer' },
      })
    }
  })

  it('pages of a first pull skip the tombstones that were there when it began, not the deletes made since', async () => {
    await write(
      'tasks',
      'alice',
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => task(id)),
    )
    await write('tasks', 'alice', [entry('delete', 'b'), entry('delete', 'd')])
    const first = await pullOk({ stores: ['tasks'], limit: 2 })
    expect(first.changes.map((change) => change.id)).toEqual(['a', 'c'])
    await write('tasks', 'alice', [entry('delete', 'a')])
    const rest = await pullAll({ stores: ['tasks'], limit: 2, cursor: first.cursor })
    expect(rest.changes).toEqual([
      { store: 'tasks', id: 'e', version: 5, value: { id: 'e', ownerId: 'alice', title: 'task e' } },
      { store: 'tasks', id: 'f', version: 6, value: { id: 'f', ownerId: 'alice', title: 'task f' } },
      { store: 'tasks', id: 'a', version: 9, deleted: true },
    ])
  })

  it('pulls every served store by default, in order, one limit for all; a cursor keeps the stores a pull leaves out', async () => {
    await write('tasks', 'alice', [task('a'), task('b')])
    await write('notes', 'alice', [entry('create', 'n1', { value: { body: 'x' } })])
    const all = await pullOk({ limit: 2 })
    expect(all.changes.map((change) => `${change.store}/${change.id}`)).toEqual(['tasks/a', 'tasks/b'])
    expect(all.more).toBe(true)
    const rest = await pullOk({ cursor: all.cursor })
    expect(rest.changes.map((change) => `${change.store}/${change.id}`)).toEqual(['notes/n1'])
    expect(rest.more).toBe(false)

    await write('tasks', 'alice', [task('c')])
    await write('notes', 'alice', [entry('create', 'n2', { value: {} })])
    const notesOnly = await pullOk({ stores: ['notes'], cursor: rest.cursor })
    expect(notesOnly.changes.map((change) => change.id)).toEqual(['n2'])
    // The tasks position came back untouched: the next pull of tasks starts where it was.
    const tasks = await pullOk({ stores: ['tasks'], cursor: notesOnly.cursor })
    expect(tasks.changes.map((change) => change.id)).toEqual(['c'])
  })

  it('keeps one sequence per store, so the cursor of one store says nothing about another', async () => {
    await write('tasks', 'alice', [task('a')])
    await write('notes', 'alice', [
      entry('create', 'n', { value: {} }),
      entry('update', 'n', { value: { body: 'b' } }),
    ])
    await write('tasks', 'alice', [task('b')])
    const { changes, cursor } = await pullAll()
    expect(changes.map((change) => [change.store, change.id, change.version])).toEqual([
      ['tasks', 'a', 1],
      ['tasks', 'b', 2],
      ['notes', 'n', 2],
    ])
    expect(decode(cursor).s).toEqual({ tasks: { v: 2 }, shared: { v: 0 }, notes: { v: 2 } })
  })
})

describe('pull and the read rules', () => {
  it('a user gets only the rows, and the tombstones, of items they may read', async () => {
    await write('tasks', 'alice', [task('a1'), task('a2')])
    await write('tasks', 'bob', [task('b1', 'bob'), task('b2', 'bob')])
    const alice = await pullOk({ stores: ['tasks'] })
    const bob = await pullOk({ stores: ['tasks'] }, 'bob')
    expect(alice.changes.map((change) => change.id)).toEqual(['a1', 'a2'])
    expect(bob.changes.map((change) => change.id)).toEqual(['b1', 'b2'])

    await write('tasks', 'bob', [entry('delete', 'b1')])
    await write('tasks', 'alice', [entry('delete', 'a1')])
    expect((await pullOk({ stores: ['tasks'], cursor: alice.cursor })).changes).toEqual([
      { store: 'tasks', id: 'a1', version: 6, deleted: true },
    ])
    expect((await pullOk({ stores: ['tasks'], cursor: bob.cursor }, 'bob')).changes).toEqual([
      { store: 'tasks', id: 'b1', version: 5, deleted: true },
    ])
  })

  it('the cursor moves past the rows a user may not read, so they are never scanned again', async () => {
    await write('tasks', 'alice', [task('a1')])
    const first = await pullOk({ stores: ['tasks'] })
    await write(
      'tasks',
      'bob',
      Array.from({ length: 5 }, (_, i) => task(`b${i}`, 'bob')),
    )
    const answer = await pullOk({ stores: ['tasks'], cursor: first.cursor, limit: 2 })
    expect(answer).toMatchObject({ changes: [], more: false })
    expect(decode(answer.cursor).s.tasks).toEqual({ v: 6 })
  })

  it('no cursor trick reaches another user’s rows: a forged position, a position from another user, a first pull', async () => {
    await write('tasks', 'bob', [task('b1', 'bob'), task('b2', 'bob')])
    await write('tasks', 'bob', [entry('delete', 'b2')])
    const forge = (s: unknown) => Buffer.from(JSON.stringify({ v: 1, s })).toString('base64url')
    const bobs = await pullOk({ stores: ['tasks'] }, 'bob')
    for (const cursor of [
      undefined,
      forge({ tasks: { v: 0 } }),
      forge({ tasks: { v: 0, a: ['string', 'b1'] } }),
      forge({ tasks: { v: 1, l: 0 } }),
      bobs.cursor,
    ]) {
      const answer = await pullOk({ stores: ['tasks'], ...(cursor ? { cursor } : {}) })
      expect(answer.changes).toEqual([])
    }
  })

  it('fields a user may not read are left out of every change', async () => {
    await write('shared', 'alice', [
      entry('create', 's1', { value: { id: 's1', title: 'plan', secret: 'salaries' } }),
    ])
    expect((await pullOk({ stores: ['shared'] })).changes[0]).toMatchObject({
      value: { id: 's1', title: 'plan', secret: 'salaries' },
    })
    expect((await pullOk({ stores: ['shared'] }, 'bob')).changes).toEqual([
      { store: 'shared', id: 's1', version: 1, value: { id: 's1', title: 'plan' } },
    ])
  })

  it('a stored row holding a forbidden key is left out and reported, and the cursor goes past it', async () => {
    await write('notes', 'alice', [entry('create', 'ok', { value: {} })])
    await t.database.db.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES ('notes', 'string', 'bad', 2, '{"slug":"bad","constructor":{"prototype":1}}')`,
    )
    await t.database.db.query(`UPDATE atoma_stores SET version = 2 WHERE store = 'notes'`)
    const answer = await pullOk({ stores: ['notes'] })
    expect(answer.changes.map((change) => change.id)).toEqual(['ok'])
    expect(decode(answer.cursor).s.notes).toEqual({ v: 2 })
    expect(String(errors[0])).toContain('notes/"bad"')
  })
})

describe('pull budgets', () => {
  it('a page stops within the bytes of limits.maxResponseBytes, and the next one goes on from there', async () => {
    const small = await startTestServer(
      {
        collections: COLLECTIONS,
        authenticate,
        limits: { maxResponseBytes: 300 },
        onError: (error) => errors.push(error),
      },
      t.database,
    )
    try {
      const body = 'x'.repeat(80)
      await write(
        'notes',
        'alice',
        Array.from({ length: 7 }, (_, i) => entry('create', `n${i}`, { value: { body } })),
      )
      const pages: string[][] = []
      let cursor: string | undefined
      for (let i = 0; i < 10; i++) {
        const { status, body: answer } = await small.post(
          { stores: ['notes'], ...(cursor ? { cursor } : {}) },
          { path: '/pull', headers: as('alice') },
        )
        expect(status).toBe(200)
        const { changes, more, cursor: next } = answer as PullResponse
        pages.push(changes.map((change) => String(change.id)))
        cursor = next
        if (!more) break
      }
      // Each item is 106 bytes of JSON as stored: 2 fit in 300 bytes, a third would cross them.
      expect(pages).toEqual([['n0', 'n1'], ['n2', 'n3'], ['n4', 'n5'], ['n6']])

      // One change larger than the whole budget can never be answered: a clear error, reported.
      await write('notes', 'alice', [entry('create', 'huge', { value: { body: 'y'.repeat(400) } })])
      const { status, body: failure } = await small.post(
        { stores: ['notes'], cursor },
        { path: '/pull', headers: as('alice') },
      )
      expect(status).toBe(413)
      expect(failure).toMatchObject({ error: { code: 'RESPONSE_TOO_LARGE', retryable: false } })
      expect((failure as { error: { message: string } }).error.message).toContain('notes/"huge"')
      expect(String(errors.at(-1))).toContain('holds up every pull')
    } finally {
      await small.close()
    }
  })
})

describe('malformed pulls', () => {
  const forge = (raw: string) => Buffer.from(raw).toString('base64url')

  it.each([
    ['not base64url', 'a+b/c='],
    ['empty', ''],
    ['not JSON', forge('{"v":1,')],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')],
    ['another format', forge('{"v":2,"s":{}}')],
    ['an unknown property', forge('{"v":1,"s":{},"x":1}')],
    ['a negative version', forge('{"v":1,"s":{"tasks":{"v":-1}}}')],
    ['a fractional version', forge('{"v":1,"s":{"tasks":{"v":1.5}}}')],
    ['a version past 2^53', forge('{"v":1,"s":{"tasks":{"v":9007199254740993}}}')],
    ['a malformed tie', forge('{"v":1,"s":{"tasks":{"v":1,"a":["object","x"]}}}')],
    ['a position with an unknown key', forge('{"v":1,"s":{"tasks":{"v":1,"q":1}}}')],
    ['not a string', 42],
  ])('a cursor that is %s is a 400', async (_, cursor) => {
    const { status, body } = await pull({ cursor })
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: { code: 'VALIDATION', retryable: false } })
    expect((body as { error: { message: string } }).error.message).toContain('cursor')
  })

  it('drops the positions of stores the server no longer serves', async () => {
    const cursor = forge('{"v":1,"s":{"gone":{"v":3},"notes":{"v":0}}}')
    expect(decode((await pullOk({ cursor })).cursor).s).not.toHaveProperty('gone')
  })

  it.each([
    [[], 'a pull is a JSON object { cursor?, stores?, limit? }'],
    ['{"stores":"tasks"}', 'stores must be an array of store names'],
    ['{"stores":[1]}', 'stores must be an array of store names'],
    ['{"stores":["tasks","nope"]}', 'unknown store "nope"'],
    ['{"since":1}', 'a pull has an unknown property "since"'],
  ])('the body %s is a 400 naming the problem', async (raw, message) => {
    const { status, body } = await pull(typeof raw === 'string' ? raw : JSON.stringify(raw))
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: { code: 'VALIDATION', message } })
  })

  it('passes the same doors as the ops: a principal, JSON, POST', async () => {
    expect((await t.post({}, { path: '/pull' })).status).toBe(401)
    expect(
      (await t.post('{}', { path: '/pull', contentType: 'text/plain', headers: as('alice') })).status,
    ).toBe(415)
    expect((await t.post('{"__proto__":{}}', { path: '/pull', headers: as('alice') })).status).toBe(400)
    const get = await fetch(`${t.server.url}/pull`, { headers: as('alice') })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
  })
})
