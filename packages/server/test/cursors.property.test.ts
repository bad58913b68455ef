import {
  createRuntime,
  defineCollection,
  encodeCursor,
  type Id,
  memoryBackend,
  type Query,
} from '@atoma/runtime'
import type { RemoteQueryResult } from '@atoma/runtime/protocol'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { entry, opError, startTestServer, type TestServer } from './support/testServer.js'

/**
 * Keyset pagination on the server against the runtime's own evaluator (`evaluate`), the
 * semantics every backend must share: paging with the server's cursors gives the evaluator's
 * ordered result, and every page is the page the evaluator gives for the same cursor, also while
 * items are created, changed and deleted between pages. The data mixes types on purpose (a text
 * field holding numbers, booleans, arrays, null, nothing), with ties, and ids of both kinds.
 * Runs: FC_RUNS (default 30); a failure replays with FC_SEED.
 */
type Todo = { id: Id } & Record<string, unknown>
const todos = defineCollection<Todo>('todos', { key: 'id' })
const keyOf = (item: Todo) => item.id

let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
})
afterAll(() => t.close())

const numRuns = Number(process.env.FC_RUNS ?? 30)
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const params = { numRuns, ...(seed === undefined ? {} : { seed }) }

/** What the runtime evaluator answers for `query` over `items`. */
function evaluate(items: Iterable<Todo>, query: Query<Todo>): Todo[] {
  const runtime = createRuntime({ stores: [todos], plugins: [memoryBackend()] })
  runtime.hydrate({
    atoma: 1,
    stores: { todos: { entries: [...items].map((item) => [item.id, item]), versions: [] } },
  })
  return runtime.store(todos).evaluate(query)
}

/** Every item of `query`, in order (paged with no bound, so ordered even without orderBy). */
const everything = (items: Iterable<Todo>, query: Query<Todo>) =>
  evaluate(items, { ...query, limit: Number.MAX_SAFE_INTEGER })

async function page(query: Query<Todo>): Promise<{ ids: Id[]; cursor: string | undefined }> {
  const result = await t.query('todos', query)
  if (!result.ok || result.kind !== 'query') throw new Error(`query failed: ${JSON.stringify(result)}`)
  const { items, cursor } = result as RemoteQueryResult
  return { ids: items.map((item) => item.id), cursor }
}

// Small alphabets, so that ties are common. U+FFFF and U+FB01 sort before U+1F600 by code point
// (SQL's order), after it by UTF-16 code unit (JavaScript's `<`).
const text = fc.constantFrom(
  'a',
  'A',
  'b',
  'B',
  'ab',
  'É',
  '',
  'z',
  '10',
  '9',
  '\uffff',
  '😀',
  'a\ufb01',
  'a😀',
)
const number = fc.constantFrom(-2, 0, 1, 1.5, 2, 10)
const other = fc.constantFrom<unknown>(null, true, false, [1], [], { x: 1 })
const mixed = fc.oneof(text, number, other)
const value = fc
  .record(
    {
      title: fc.oneof({ weight: 3, arbitrary: text }, { weight: 2, arbitrary: mixed }),
      priority: fc.oneof({ weight: 3, arbitrary: number }, { weight: 1, arbitrary: mixed }),
      done: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: mixed }),
    },
    { requiredKeys: [] },
  )
  .map((fields) => fields as Record<string, unknown>)
const id = fc
  .oneof(
    fc.integer({ min: -5, max: 40 }),
    fc.constantFrom('a', 'b', 'B', 'aa', 'x', 'Z', '1', '', '\uffff', '😀'),
  )
  .filter((candidate) => candidate !== '')
const dataset = fc
  .uniqueArray(fc.tuple(id, value), { selector: ([key]) => key, minLength: 4, maxLength: 30 })
  .map((rows) => rows.map(([key, fields]): Todo => ({ ...fields, id: key })))
const orderBy = fc.array(
  fc.tuple(
    fc.constantFrom('title', 'priority', 'done', 'id'),
    fc.constantFrom('asc' as const, 'desc' as const),
  ),
  { maxLength: 3 },
)
const where = fc.constantFrom<Query<Todo>['where'] | undefined>(
  undefined,
  { done: true },
  { priority: { gte: 1 } },
  { not: { title: 'a' } },
)
const query = fc
  .record({ where, orderBy, limit: fc.integer({ min: 1, max: 5 }) })
  .map(({ where: w, ...rest }): Query<Todo> => (w === undefined ? rest : { ...rest, where: w }))

async function store(items: readonly Todo[]): Promise<void> {
  await t.reset()
  if (items.length > 0)
    await t.writeOk(
      'todos',
      items.map((item) => entry('create', item.id, { value: item })),
    )
}

describe('keyset pagination against the runtime evaluator', () => {
  it("paging by the server's cursors gives the evaluator's whole ordered result, page by page", async () => {
    await fc.assert(
      fc.asyncProperty(dataset, query, async (items, q) => {
        await store(items)
        const expected = everything(items, q).map(keyOf)
        const seen: Id[] = []
        const cursors: (string | undefined)[] = [undefined]
        for (let after: string | undefined, n = 0; n <= items.length; n++) {
          const { ids, cursor } = await page(after === undefined ? q : { ...q, after })
          seen.push(...ids)
          // A page that says more follow is full; the last one says nothing.
          if (cursor !== undefined) expect(ids).toHaveLength(q.limit as number)
          if (cursor === undefined) break
          cursors.push(cursor)
          after = cursor
        }
        expect(seen).toEqual(expected)

        // `before` bounds the same pages: between two consecutive cursors lies exactly one page.
        for (let i = 1; i < cursors.length; i++) {
          const previous = cursors[i - 1]
          const between: Query<Todo> = { ...q, limit: undefined, before: cursors[i] as string }
          const { ids } = await page(previous === undefined ? between : { ...between, after: previous })
          expect(ids).toEqual(expected.slice((i - 1) * (q.limit as number), i * (q.limit as number)))
        }

        // Cursors the runtime made, on either side of an item, mean on the server what they mean locally.
        const full = everything(items, q)
        for (const [index, item] of full.entries()) {
          const side = index % 2 === 0 ? 'before' : 'after'
          const cursor = encodeCursor('todos', q, item, keyOf, side)
          const past = await page({ ...q, limit: undefined, after: cursor })
          const ahead = await page({ ...q, limit: undefined, before: cursor })
          const cut = side === 'before' ? index : index + 1
          expect(past.ids).toEqual(expected.slice(cut))
          expect(ahead.ids).toEqual(expected.slice(0, cut))
        }
      }),
      params,
    )
  })

  const write = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), id, value }),
    fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), value }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  )

  it('with writes between pages, every page is the evaluator’s for its cursor; untouched items come exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataset,
        query,
        fc.array(fc.array(write, { minLength: 1, maxLength: 4 }), { minLength: 4, maxLength: 12 }),
        async (items, q, batches) => {
          await store(items)
          const model = new Map<Id, Todo>(items.map((item) => [item.id, item]))
          const touched = new Set<Id>()
          const untouchedAtStart = everything(items, q).map(keyOf)
          const seen: Id[] = []
          let after: string | undefined
          for (let n = 0; n <= items.length + 12 * 4; n++) {
            const pageQuery = after === undefined ? q : { ...q, after }
            const { ids, cursor } = await page(pageQuery)
            expect(ids).toEqual(evaluate(model.values(), pageQuery).map(keyOf))
            seen.push(...ids)
            if (cursor === undefined) break
            after = cursor
            // Writes land between this page and the next.
            const entries = []
            for (const w of batches[n] ?? []) {
              const ids = [...model.keys()]
              if (w.kind === 'create') {
                if (model.has(w.id)) continue
                const item = { ...w.value, id: w.id }
                model.set(w.id, item)
                entries.push(entry('create', w.id, { value: item }))
                touched.add(w.id)
              } else if (ids.length > 0) {
                const target = ids[w.pick % ids.length] as Id
                touched.add(target)
                if (w.kind === 'delete') {
                  model.delete(target)
                  entries.push(entry('delete', target))
                } else {
                  const item = { ...w.value, id: target }
                  model.set(target, item)
                  entries.push(entry('upsert', target, { value: item }))
                }
              }
            }
            if (entries.length > 0) await t.writeOk('todos', entries)
          }
          // Keyset pages never repeat nor skip an item that stayed as it was.
          const untouched = untouchedAtStart.filter((key) => !touched.has(key))
          expect(seen.filter((key) => !touched.has(key))).toEqual(untouched)
          // Nor repeat a created or deleted one (an updated item may move past the gap again).
          const counts = new Map<Id, number>()
          for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1)
          for (const [key, count] of counts) if (count > 1) expect(touched.has(key)).toBe(true)
        },
      ),
      params,
    )
  })
})

describe('cursors the server refuses', () => {
  const q: Query<Todo> = { where: { done: false }, orderBy: [['priority', 'desc']], limit: 2 }
  const item: Todo = { id: 1, priority: 3, done: false }
  const cursorFor = (store: string, query: Query<Todo>) => encodeCursor(store, query, item, keyOf, 'after')

  it.each([
    ['another store', cursorFor('notes', q)],
    ['another where', cursorFor('todos', { ...q, where: { done: true } })],
    ['another orderBy', cursorFor('todos', { ...q, orderBy: [['priority', 'asc']] })],
    ['no orderBy', cursorFor('todos', { where: q.where })],
  ])('a cursor of %s is VALIDATION naming the store', async (_what, cursor) => {
    const error = opError(await t.query('todos', { ...q, after: cursor }))
    expect(error).toMatchObject({ code: 'VALIDATION', retryable: false })
    expect(error.message).toBe(
      'query.after of store "todos" is a cursor of another query (cursors belong to one store, where and orderBy)',
    )
  })

  it.each([
    ['a number', 42, 'must be a cursor string, got 42'],
    ['a string that does not decode', 'nope!', 'does not decode as a cursor'],
    ['a string over the length limit', 'a'.repeat(8193), 'is longer than 8192 characters'],
  ])('a cursor that is %s is VALIDATION', async (_what, cursor, problem) => {
    const error = opError(await t.query('todos', { ...q, before: cursor }))
    expect(error).toMatchObject({ code: 'VALIDATION' })
    expect(error.message).toBe(`query.before of store "todos" ${problem}`)
  })

  it('a cursor holding text SQL cannot hold is VALIDATION', async () => {
    const cursor = encodeCursor('todos', q, { ...item, priority: 'a\u0000b' }, keyOf, 'after')
    const error = opError(await t.query('todos', { ...q, after: cursor }))
    expect(error).toMatchObject({ code: 'VALIDATION' })
    expect(error.message).toMatch(/NUL character/)
  })

  it('a cursor with a non-finite number (made locally) sorts it as the evaluator does', async () => {
    const items: Todo[] = [
      { id: 1, priority: 5 },
      { id: 2, priority: 'x' },
      { id: 3, priority: -1 },
    ]
    await store(items)
    const query: Query<Todo> = { orderBy: [['priority', 'asc']] }
    for (const priority of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const cursor = encodeCursor('todos', query, { id: 9, priority }, keyOf, 'after')
      const { ids } = await page({ ...query, after: cursor })
      expect(ids).toEqual(evaluate(items, { ...query, after: cursor }).map(keyOf))
    }
  })
})
