import type { IncomingMessage } from 'node:http'
import type { OpsResponse, RemoteOpResult, RemoteWriteResult } from '@atoma/runtime/protocol'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/auth/principal.js'
import type { WriteCheck } from '../../src/authorize/rules.js'
import type { CollectionConfig } from '../../src/collections.js'
import { entry, idsOf, itemsOf, opError, startTestServer, type TestServer } from '../support/testServer.js'

/** `x-user: alice` or `x-user: hana:hr` (id and role): enough to tell principals apart here. */
const authenticate = (req: IncomingMessage): Principal | null => {
  const user = req.headers['x-user']
  if (typeof user !== 'string') return null
  const [id = '', role = 'member'] = user.split(':')
  return { id, claims: { role } }
}

const writeRule = (principal: Principal, { current, next }: WriteCheck): boolean | string => {
  if (current !== null && current.ownerId !== principal.id) return 'only the owner may change a note'
  if (next !== null && next.ownerId !== principal.id) return 'a note belongs to whoever writes it'
  return true
}

const COLLECTIONS: CollectionConfig[] = [
  // Declarative: read your own tasks, write them so that they stay yours; salary for HR only.
  {
    name: 'tasks',
    fields: { ownerId: 'text', title: 'text', rank: 'number', salary: 'number', projectId: 'text' },
    authorize: {
      read: { ownerId: { $principal: 'id' } },
      fields: { salary: { read: { 'claims.role': 'hr' } }, rank: { write: false } },
    },
  },
  // In code: a project lists its members, and its tasks are visible to them (a rule reading other rows).
  {
    name: 'projects',
    fields: { members: 'array' },
    authorize: { read: { members: { contains: { $principal: 'id' } } } },
  },
  {
    name: 'boardTasks',
    fields: { projectId: 'text', title: 'text' },
    authorize: {
      read: async (principal, ctx) => {
        const projects = await ctx.find('projects', { members: { contains: principal.id } })
        return { projectId: { in: projects.map((project) => String(project.id)) } }
      },
      write: async (principal, { current, next }, ctx) => {
        for (const item of [current, next]) {
          if (item === null) continue
          const project = await ctx.get('projects', String(item.projectId))
          if (!(project?.members as string[] | undefined)?.includes(principal.id))
            return 'not a member of the project'
        }
        return true
      },
    },
  },
  { name: 'notes', fields: { ownerId: 'text' }, authorize: { write: writeRule } },
  { name: 'archive', fields: {}, authorize: { read: true, write: false } },
  { name: 'vault', fields: {}, authorize: { read: false } },
  { name: 'orgDocs', fields: { org: 'text' }, authorize: { read: { org: { $principal: 'claims.org' } } } },
  {
    name: 'broken',
    fields: {},
    authorize: {
      read: () => {
        throw new Error('rule bug')
      },
    },
  },
]

const errors: unknown[] = []
let t: TestServer

beforeAll(async () => {
  t = await startTestServer({
    collections: COLLECTIONS,
    authenticate,
    onError: (error) => errors.push(error),
  })
})
afterAll(() => t.close())
beforeEach(async () => {
  errors.length = 0
  await t.reset()
})

async function as(user: string, ops: unknown[]): Promise<RemoteOpResult[]> {
  const { status, body } = await t.post({ ops }, { headers: { 'x-user': user } })
  expect(status, JSON.stringify(body)).toBe(200)
  return (body as OpsResponse).results
}
const query = async (user: string, store: string, q: unknown = {}) =>
  (await as(user, [{ opId: 'q', kind: 'query', store, query: q }]))[0]!
const write = async (user: string, store: string, entries: unknown[]) =>
  (await as(user, [{ opId: 'w', kind: 'write', store, entries }]))[0] as RemoteWriteResult

/** Rows put in directly, as another system (or another user long ago) would have. */
async function seed(store: string, items: Record<string, unknown>[]): Promise<void> {
  for (const item of items) {
    await t.database.db.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data) VALUES ($1::text, 'string', $2::text, 1, $3::text::jsonb)`,
      [store, String(item.id), JSON.stringify(item)],
    )
  }
}

const TASKS = [
  { id: 'a1', ownerId: 'alice', title: 'alpha', rank: 1, salary: 100 },
  { id: 'a2', ownerId: 'alice', title: 'beta', rank: 5, salary: 200 },
  { id: 'b1', ownerId: 'bob', title: 'alpha', rank: 2, salary: 300 },
  { id: 'b2', ownerId: 'bob', title: 'gamma', rank: 3, salary: 400 },
  { id: 'h1', ownerId: 'hana', title: 'delta', rank: 4, salary: 500 },
]

describe('read rules', () => {
  beforeEach(() => seed('tasks', TASKS))

  it("AND-s the read rule into every query: where, orderBy, offset and limit never reach another user's rows", async () => {
    expect(idsOf(await query('alice', 'tasks'))).toEqual(['a1', 'a2'])
    expect(idsOf(await query('alice', 'tasks', { where: { ownerId: 'bob' } }))).toEqual([])
    expect(
      idsOf(await query('alice', 'tasks', { where: { or: [{ ownerId: 'bob' }, { title: 'alpha' }] } })),
    ).toEqual(['a1'])
    expect(idsOf(await query('alice', 'tasks', { where: { not: { ownerId: 'alice' } } }))).toEqual([])
    expect(idsOf(await query('alice', 'tasks', { orderBy: [['rank', 'desc']], offset: 1 }))).toEqual(['a1'])
    expect(idsOf(await query('alice', 'tasks', { offset: 2, limit: 5 }))).toEqual([])
    expect(idsOf(await query('alice', 'tasks', { where: { id: { in: ['b1', 'b2', 'a2'] } } }))).toEqual([
      'a2',
    ])
    expect(idsOf(await query('bob', 'tasks'))).toEqual(['b1', 'b2'])
    expect(idsOf(await query('mallory', 'tasks'))).toEqual([])
  })

  it('runs rules in code that read other rows (tasks visible to the members of their project)', async () => {
    await seed('projects', [
      { id: 'p1', members: ['alice', 'bob'] },
      { id: 'p2', members: ['bob'] },
    ])
    await seed('boardTasks', [
      { id: 't1', projectId: 'p1', title: 'shared' },
      { id: 't2', projectId: 'p2', title: "bob's" },
      { id: 't3', projectId: 'p3', title: 'nobody' },
    ])
    expect(idsOf(await query('alice', 'boardTasks'))).toEqual(['t1'])
    expect(idsOf(await query('bob', 'boardTasks'))).toEqual(['t1', 't2'])
    expect(idsOf(await query('alice', 'projects'))).toEqual(['p1'])
    const result = await write('alice', 'boardTasks', [
      entry('create', 't4', { value: { projectId: 'p1', title: 'mine' } }),
      entry('create', 't5', { value: { projectId: 'p2', title: 'sneaky' } }),
      entry('patch', 't1', { patches: [{ op: 'replace', path: ['projectId'], value: 'p2' }] }),
    ])
    expect(result.items.map((item) => item.status)).toEqual(['confirmed', 'rejected', 'rejected'])
    expect(result.items[1]).toMatchObject({
      error: {
        code: 'FORBIDDEN',
        retryable: false,
        message: expect.stringContaining('not a member of the project'),
      },
    })
  })

  it('a rule never reads a tombstone: a deleted project grants nothing', async () => {
    await write('alice', 'projects', [entry('create', 'p9', { value: { members: ['alice'] } })])
    await write('alice', 'boardTasks', [entry('create', 't9', { value: { projectId: 'p9', title: 'x' } })])
    expect(idsOf(await query('alice', 'boardTasks'))).toEqual(['t9'])
    expect((await write('alice', 'projects', [entry('delete', 'p9')])).status).toBe('confirmed')
    expect(idsOf(await query('alice', 'boardTasks'))).toEqual([])
    expect(idsOf(await query('alice', 'projects'))).toEqual([])
    const result = await write('alice', 'boardTasks', [
      entry('create', 't10', { value: { projectId: 'p9' } }),
    ])
    expect(result.items[0]).toMatchObject({ error: { code: 'FORBIDDEN' } })
  })

  it('answers nothing for read: false, and nothing when a referenced claim is missing', async () => {
    await seed('vault', [{ id: 'v' }])
    await seed('orgDocs', [{ id: 'd1', org: 'acme' }, { id: 'd2' }])
    expect(idsOf(await query('alice', 'vault'))).toEqual([])
    // No claims.org: the rule matches nothing (not the documents without an org).
    expect(idsOf(await query('alice', 'orgDocs'))).toEqual([])
  })

  it('fails the op as an internal error when a rule throws, and reports it naming the store', async () => {
    expect(opError(await query('alice', 'broken'))).toMatchObject({ code: 'TRANSPORT', retryable: true })
    expect(String(errors[0])).toContain('the read rule of store "broken" failed: rule bug')
  })
})

describe('field rules', () => {
  beforeEach(() => seed('tasks', TASKS))

  it('strips an unreadable field from every item returned and refuses it in where and orderBy', async () => {
    expect(itemsOf(await query('alice', 'tasks'))).toEqual([
      { id: 'a1', ownerId: 'alice', title: 'alpha', rank: 1 },
      { id: 'a2', ownerId: 'alice', title: 'beta', rank: 5 },
    ])
    expect(itemsOf(await query('hana:hr', 'tasks'))).toEqual([TASKS[4]])
    for (const probe of [
      { where: { salary: { gt: 150 } } },
      { orderBy: [['salary', 'asc']] },
      { where: { not: { salary: 100 } } },
    ]) {
      const error = opError(await query('alice', 'tasks', probe))
      expect(error).toMatchObject({ code: 'FORBIDDEN', retryable: false })
      expect(error.message).toBe('field "salary" of store "tasks" is not readable')
    }
    const confirmed = await write('alice', 'tasks', [
      entry('patch', 'a1', { patches: [{ op: 'replace', path: ['title'], value: 'renamed' }] }),
    ])
    expect(confirmed.items[0]).toMatchObject({ status: 'confirmed', value: { id: 'a1', title: 'renamed' } })
    expect((confirmed.items[0] as { value: object }).value).not.toHaveProperty('salary')
  })

  it('keeps a hidden field a whole value leaves out, and refuses changing an unwritable one', async () => {
    const result = await write('alice', 'tasks', [
      entry('upsert', 'a1', { value: { ownerId: 'alice', title: 'replaced', rank: 1 } }),
      entry('patch', 'a2', { patches: [{ op: 'replace', path: ['salary'], value: 1e6 }] }),
      entry('patch', 'a2', { patches: [{ op: 'replace', path: ['rank'], value: 0 }] }),
      entry('create', 'a3', { value: { ownerId: 'alice', rank: 9 } }),
    ])
    expect(result.items.map((item) => item.status)).toEqual(['confirmed', 'rejected', 'rejected', 'rejected'])
    expect(result.items[1]).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringContaining('field "salary" may not be changed') },
    })
    for (const rejected of result.items.slice(2)) {
      expect(rejected).toMatchObject({
        error: { code: 'FORBIDDEN', message: expect.stringContaining('field "rank" may not be changed') },
      })
    }
    const stored = await t.database.db.query(
      `SELECT data::text AS data FROM atoma_items WHERE id IN ('a1', 'a2') ORDER BY id`,
    )
    expect(stored.map((row) => JSON.parse(String(row.data)))).toEqual([
      { id: 'a1', ownerId: 'alice', title: 'replaced', rank: 1, salary: 100 },
      TASKS[1],
    ])
  })
})

describe('write rules', () => {
  it('refuses per entry with FORBIDDEN and the reason, the rest of the batch unaffected', async () => {
    await seed('notes', [{ id: 'n1', ownerId: 'bob' }])
    const result = await write('alice', 'notes', [
      entry('create', 'n2', { value: { ownerId: 'alice' } }),
      entry('patch', 'n1', { patches: [{ op: 'replace', path: ['ownerId'], value: 'alice' }] }),
      entry('delete', 'n1'),
      entry('create', 'n3', { value: { ownerId: 'bob' } }),
      entry('create', 'n4', { value: { ownerId: 'alice' } }),
    ])
    expect(result.status).toBe('partial')
    expect(result.items.map((item) => (item.status === 'rejected' ? item.error.message : 'ok'))).toEqual([
      'ok',
      'notes/"n1" (entry "' +
        (result.items[1]?.entryId ?? '') +
        '"): forbidden: only the owner may change a note',
      expect.stringContaining('only the owner may change a note'),
      expect.stringContaining('a note belongs to whoever writes it'),
      'ok',
    ])
    expect(idsOf(await query('alice', 'notes'))).toEqual(['n1', 'n2', 'n4'])
  })

  it('without a write rule, the read rule must hold before and after the write', async () => {
    await seed('tasks', TASKS)
    const result = await write('alice', 'tasks', [
      entry('create', 'a3', { value: { ownerId: 'alice', title: 'new' } }),
      entry('create', 'x1', { value: { ownerId: 'bob', title: 'planted' } }),
      entry('patch', 'b1', { patches: [{ op: 'replace', path: ['title'], value: 'defaced' }] }),
      entry('delete', 'b2'),
    ])
    expect(result.items.map((item) => (item.status === 'rejected' ? item.error.code : 'ok'))).toEqual([
      'ok',
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
    ])
    expect(idsOf(await query('bob', 'tasks'))).toEqual(['b1', 'b2'])
    expect(itemsOf(await query('bob', 'tasks'))).toMatchObject([{ title: 'alpha' }, { title: 'gamma' }])
  })

  it("answers CONFLICT without the other user's item, and with one's own", async () => {
    await seed('tasks', TASKS)
    const result = await write('alice', 'tasks', [
      entry('create', 'b1', { value: { ownerId: 'alice' } }),
      entry('patch', 'b1', { baseVersion: 7, patches: [{ op: 'replace', path: ['title'], value: 'x' }] }),
      entry('create', 'a1', { value: { ownerId: 'alice' } }),
    ])
    expect(result.items.map((item) => (item.status === 'rejected' ? item.error.code : 'ok'))).toEqual([
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
    ])
    // Nor its version: a CONFLICT carries the version only with the item it is the version of.
    for (const item of result.items.slice(0, 2)) {
      expect(item).not.toHaveProperty('error.current')
      expect(item).not.toHaveProperty('error.currentVersion')
    }
    expect(result.items[2]).toMatchObject({
      error: { current: { id: 'a1', ownerId: 'alice', title: 'alpha', rank: 1 }, currentVersion: 1 },
    })
    expect(result.items[2]).not.toHaveProperty('error.current.salary')
  })

  it('refuses every write to a read-only collection', async () => {
    const result = await write('alice', 'archive', [entry('create', 'z', { value: {} })])
    expect(result.items[0]).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringContaining('read-only') },
    })
  })
})

describe('idempotency keys', () => {
  it("are the principal's own: another principal's key is a different key", async () => {
    const mine = entry('create', 'k1', { value: { ownerId: 'alice' } })
    expect((await write('alice', 'notes', [mine])).status).toBe('confirmed')
    expect((await write('alice', 'notes', [mine])).items[0]).toMatchObject({
      status: 'confirmed',
      version: 1,
    })
    const replayed = await write('bob', 'notes', [{ ...mine, value: { ownerId: 'bob' } }])
    // Notes are readable by everyone, so bob's create meets alice's note, as any create of an existing id.
    expect(replayed.items[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'CONFLICT', current: { ownerId: 'alice' } },
    })
  })
})
