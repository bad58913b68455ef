import type { RemoteWriteResult } from '@atoma/runtime/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StatementTimeout } from '../../src/db/db.js'
import { entry, idsOf, opError, startTestServer, type TestServer } from '../support/testServer.js'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer({ limits: { maxResponseRows: 5, maxResponseBytes: 2000 } })
  await t.writeOk(
    'todos',
    Array.from({ length: 8 }, (_, i) =>
      entry('create', i + 1, { value: { title: `t${i + 1}`, priority: i } }),
    ),
  )
})
afterAll(() => t.close())

const q = (query: unknown, opId = 'q') => ({ opId, kind: 'query', store: 'todos', query })

describe('the per-request budget', () => {
  it('answers up to maxResponseRows and fails a query over it, not retryable when alone', async () => {
    expect(idsOf(await t.query('todos', { limit: 5 }))).toEqual([1, 2, 3, 4, 5])
    const error = opError(await t.query('todos', {}))
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: false })
    expect(error.message).toContain('exceeds the per-request budget of 5 rows or 2000 bytes')
  })

  it('shares the budget among the ops of a request: a later op that does not fit may be sent alone', async () => {
    const [first, second, third] = await t.ops([
      q({ limit: 3 }, 'a'),
      q({ limit: 3 }, 'b'),
      q({ limit: 1 }, 'c'),
    ])
    expect(idsOf(first!)).toEqual([1, 2, 3])
    expect(opError(second!)).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: true })
    // The budget is spent: the next query fails without reading anything.
    expect(opError(third!)).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: true })
  })

  it('counts bytes: an answer over maxResponseBytes fails even under the row cap', async () => {
    // One request each: together their confirmations would not fit in one request's budget.
    await t.writeOk('notes', [entry('create', 'big', { value: { body: 'x'.repeat(1500) } })])
    await t.writeOk('notes', [entry('create', 'bigger', { value: { body: 'y'.repeat(1500) } })])
    expect(idsOf(await t.query('notes', { where: { slug: 'big' } }))).toEqual(['big'])
    expect(opError(await t.query('notes', {}))).toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      retryable: false,
    })
  })

  it('rejects, unapplied, a write whose confirmed item would not fit', async () => {
    const result = await t.writeOk('notes', [entry('create', 'huge', { value: { body: 'z'.repeat(2500) } })])
    expect(result.items[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'RESPONSE_TOO_LARGE', retryable: false },
    })
    expect(idsOf(await t.query('notes', { where: { slug: 'huge' } }))).toEqual([])
  })

  it('answers a replay that no longer fits the request as retryable, since the write was applied', async () => {
    const small = entry('create', 'mid', { value: { body: 'm'.repeat(1200) } })
    await t.writeOk('notes', [small])
    const [query, replay] = await t.ops([
      { opId: 'q', kind: 'query', store: 'notes', query: { where: { slug: 'big' } } },
      { opId: 'w', kind: 'write', store: 'notes', entries: [small] },
    ])
    expect(idsOf(query!)).toEqual(['big'])
    expect((replay as RemoteWriteResult).items[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'RESPONSE_TOO_LARGE', retryable: true },
    })
  })
})

describe('the per-request deadline', () => {
  it('answers the ops left past requestTimeoutMs with a retryable TIMEOUT, unapplied', async () => {
    // A read rule that takes longer than the whole deadline: the first op overruns (not retryable:
    // it had all the time there is), the others never start (retryable).
    const slow = await startTestServer({
      limits: { requestTimeoutMs: 20 },
      collections: [
        {
          name: 'todos',
          fields: {},
          authorize: { read: () => new Promise((resolve) => setTimeout(() => resolve(true), 50)) },
        },
      ],
    })
    const results = await slow.ops([
      q({}, 'a'),
      q({}, 'b'),
      { opId: 'w', kind: 'write', store: 'todos', entries: [entry('create', 1, { value: {} })] },
    ])
    expect(opError(results[0]!)).toMatchObject({ code: 'TIMEOUT', retryable: false })
    for (const result of results.slice(1))
      expect(opError(result)).toMatchObject({ code: 'TIMEOUT', retryable: true })
    expect(await slow.database.db.query('SELECT id FROM atoma_items')).toEqual([])
    await slow.close()
  })

  it('cuts a statement past the time left on PostgreSQL (PGlite cannot, and runs it to the end)', async () => {
    const { db } = t.database
    const sleep = db.transaction((tx) => tx.query('SELECT pg_sleep(0.5) AS slept'), { timeoutMs: 50 })
    if (db.kind === 'postgres') await expect(sleep).rejects.toBeInstanceOf(StatementTimeout)
    else expect(await sleep).toEqual([{ slept: '' }])
  })
})
