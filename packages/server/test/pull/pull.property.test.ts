import type { IncomingMessage } from 'node:http'
import type { OpsResponse, PullResponse } from '@atoma/runtime/protocol'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Principal } from '../../src/auth/principal.js'
import type { CollectionConfig } from '../../src/collections.js'
import { entry, startTestServer, type TestServer } from '../support/testServer.js'

/**
 * A model of two clients keeping replicas by pulling, against random interleavings of writes by
 * both users (many of them concurrent, some refused by the rules), page-sized pulls that may run
 * beside the writes, and catch-ups. After every catch-up a user's replica must be exactly what the
 * server lets that user read (values and versions), and no change may ever take a row back to an
 * older version. Runs: FC_RUNS (default 15); a failure replays with FC_SEED.
 */
const authenticate = (req: IncomingMessage): Principal | null => {
  const user = req.headers['x-user']
  return typeof user === 'string' ? { id: user } : null
}
const COLLECTIONS: CollectionConfig[] = [
  { name: 'tasks', fields: { ownerId: 'text' }, authorize: { read: { ownerId: { $principal: 'id' } } } },
  { name: 'notes', fields: { title: 'text' } },
]
const USERS = ['alice', 'bob'] as const
type User = (typeof USERS)[number]
const TASKS = ['t0', 't1', 't2', 't3', 't4', 't5']
const NOTES = ['n0', 'n1', 'n2']

let t: TestServer
beforeAll(async () => {
  t = await startTestServer({ collections: COLLECTIONS, authenticate, limits: { maxPullLimit: 4 } })
})
afterAll(() => t.close())

interface Write {
  kind: 'write'
  user: User
  store: 'tasks' | 'notes'
  op: 'create' | 'update' | 'upsert' | 'delete'
  id: string
  title: string
}
type Step =
  | Write
  | { kind: 'burst'; writes: Write[]; pull?: { user: User; limit: number } }
  | { kind: 'pull'; user: User; limit: number }
  | { kind: 'catchUp'; user: User }

const user = fc.constantFrom(...USERS)
const write: fc.Arbitrary<Write> = fc
  .oneof(
    fc.record({ store: fc.constant('tasks' as const), id: fc.constantFrom(...TASKS) }),
    fc.record({ store: fc.constant('notes' as const), id: fc.constantFrom(...NOTES) }),
  )
  .chain(({ store, id }) =>
    fc.record({
      kind: fc.constant('write' as const),
      user,
      store: fc.constant(store),
      op: fc.constantFrom('create', 'update', 'upsert', 'delete'),
      id: fc.constant(id),
      title: fc.constantFrom('a', 'b', 'c'),
    }),
  )
const pullStep = fc.record({ user, limit: fc.integer({ min: 1, max: 6 }) })
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: write },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('burst' as const),
        writes: fc.array(write, { minLength: 2, maxLength: 6 }),
        pull: pullStep,
      },
      { requiredKeys: ['kind', 'writes'] },
    ),
  },
  { weight: 2, arbitrary: pullStep.map((p) => ({ kind: 'pull' as const, ...p })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('catchUp' as const), user }) },
)

type Replica = Map<string, { version: number; value: unknown }>

class Client {
  readonly replica: Replica = new Map()
  cursor: string | undefined

  constructor(readonly user: User) {}

  /** One page; answers `more`. */
  async pull(limit: number): Promise<boolean> {
    const { status, body } = await t.post(
      { limit, ...(this.cursor ? { cursor: this.cursor } : {}) },
      { path: '/pull', headers: { 'x-user': this.user } },
    )
    expect(status, JSON.stringify(body)).toBe(200)
    const answer = body as PullResponse
    let previous = new Map<string, number>()
    for (const change of answer.changes) {
      const key = `${change.store}/${String(change.id)}`
      // Per store in version order, and never back to an older version of a row.
      expect(change.version).toBeGreaterThan(previous.get(change.store) ?? 0)
      previous = previous.set(change.store, change.version)
      expect(change.version).toBeGreaterThan(this.replica.get(key)?.version ?? 0)
      if (change.deleted) this.replica.delete(key)
      else this.replica.set(key, { version: change.version, value: change.value })
    }
    this.cursor = answer.cursor
    return answer.more
  }

  async catchUp(): Promise<void> {
    for (let page = 0; await this.pull(4); page++) if (page > 100) throw new Error('the pull never ends')
  }
}

async function send(w: Write): Promise<void> {
  const value = { id: w.id, title: w.title, ...(w.store === 'tasks' ? { ownerId: ownerOf(w.id) } : {}) }
  const e = entry(w.op, w.id, w.op === 'delete' ? {} : { value })
  const { status } = await t.post(
    { ops: [{ opId: 'w', kind: 'write', store: w.store, entries: [e] }] },
    { headers: { 'x-user': w.user } },
  )
  expect(status).toBe(200)
}

/** Tasks keep their owner (an item that left a user's rule would stay in their replica: README). */
const ownerOf = (id: string): User => (Number(id.slice(1)) % 2 === 0 ? 'alice' : 'bob')

/** Everything the server lets `user` read, as the replica should hold it. */
async function visible(user: User): Promise<Replica> {
  const { status, body } = await t.post(
    {
      ops: COLLECTIONS.map(({ name }) => ({ opId: name, kind: 'query', store: name, query: {} })),
    },
    { headers: { 'x-user': user } },
  )
  expect(status).toBe(200)
  const state: Replica = new Map()
  for (const result of (body as OpsResponse).results) {
    if (!result.ok || result.kind !== 'query') throw new Error(JSON.stringify(result))
    for (const item of result.items)
      state.set(`${result.opId}/${String(item.id)}`, { version: item.version, value: item.value })
  }
  return state
}

it('every replica pulled page by page equals what its user may read, whatever the interleaving', async () => {
  const numRuns = Number(process.env.FC_RUNS ?? 15)
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
      await t.reset()
      const clients = new Map(USERS.map((name) => [name, new Client(name)]))
      const client = (name: User) => clients.get(name) as Client
      const check = async (c: Client) => {
        await c.catchUp()
        expect(c.replica).toEqual(await visible(c.user))
      }
      for (const s of steps) {
        if (s.kind === 'write') await send(s)
        else if (s.kind === 'pull') await client(s.user).pull(s.limit)
        else if (s.kind === 'catchUp') await check(client(s.user))
        else
          await Promise.all([
            ...s.writes.map(send),
            ...(s.pull ? [client(s.pull.user).pull(s.pull.limit)] : []),
          ])
      }
      for (const c of clients.values()) await check(c)
    }),
    { numRuns, ...(seed === undefined ? {} : { seed }) },
  )
})
