import type { Patch } from '@atoma/runtime/protocol'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { entry, idsOf, itemsOf, opError, startTestServer, type TestServer } from './support/testServer.js'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer()
})
beforeEach(() => t.reset())
afterAll(() => t.close())

const milk = { id: 1, title: 'Buy milk', priority: 1, done: false }

async function stored(id: string | number) {
  const result = await t.query('todos', { where: { id } })
  if (!result.ok || result.kind !== 'query') throw new Error(JSON.stringify(result))
  return result.items[0]
}

describe('create, update, patch, upsert, delete', () => {
  it('creates at version 1 and answers the stored item', async () => {
    const e = entry('create', 1, { value: milk })
    const result = await t.writeOk('todos', [e])
    expect(result).toMatchObject({ ok: true, kind: 'write', status: 'confirmed' })
    expect(result.items).toEqual([
      { entryId: e.entryId, status: 'confirmed', id: 1, version: 1, value: milk },
    ])
    expect(await stored(1)).toEqual({ id: 1, version: 1, value: milk })
  })

  it('adds the key field to a value that lacks it', async () => {
    const result = await t.writeOk('todos', [entry('create', 'k', { value: { title: 'no key' } })])
    expect(result.items[0]).toMatchObject({
      status: 'confirmed',
      id: 'k',
      value: { id: 'k', title: 'no key' },
    })
  })

  it('keeps number and string ids apart, each round-tripping with its type', async () => {
    await t.writeOk('todos', [
      entry('create', 7, { value: { title: 'number' } }),
      entry('create', '7', { value: { title: 'string' } }),
      entry('create', 0.5, { value: { title: 'fraction' } }),
      entry('create', -3, { value: { title: 'negative' } }),
    ])
    expect(idsOf(await t.query('todos', {}))).toEqual([-3, 0.5, 7, '7'])
    expect(itemsOf(await t.query('todos', { where: { id: '7' } }))).toEqual([{ id: '7', title: 'string' }])
  })

  it('rejects creating an existing id with CONFLICT and the current item', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const result = await t.writeOk('todos', [entry('create', 1, { value: { ...milk, title: 'other' } })])
    expect(result.status).toBe('rejected')
    expect(result.items[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'CONFLICT', retryable: false, current: milk },
    })
    expect((await stored(1))?.value).toEqual(milk)
  })

  it('updates with a value, one version up', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const next = { ...milk, done: true }
    const result = await t.writeOk('todos', [entry('update', 1, { value: next, baseVersion: 1 })])
    expect(result.items[0]).toMatchObject({ status: 'confirmed', version: 2, value: next })
    expect(await stored(1)).toEqual({ id: 1, version: 2, value: next })
  })

  it('applies patches to the stored item rather than trusting value', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    // The client's value reflects an earlier optimistic write the server never accepted.
    const clientView = { ...milk, title: 'rejected edit', priority: 5 }
    const result = await t.writeOk('todos', [
      entry('patch', 1, { value: clientView, patches: [{ op: 'replace', path: ['priority'], value: 5 }] }),
    ])
    expect(result.items[0]).toMatchObject({
      status: 'confirmed',
      version: 2,
      value: { ...milk, priority: 5 },
    })
  })

  it('applies nested, array and removal patches', async () => {
    await t.writeOk('todos', [
      entry('create', 1, { value: { ...milk, tags: ['a', 'c'], meta: { owner: { name: 'x' } } } }),
    ])
    const patches: Patch[] = [
      { op: 'add', path: ['tags', 1], value: 'b' },
      { op: 'add', path: ['tags', '-'], value: 'd' },
      { op: 'replace', path: ['meta', 'owner', 'name'], value: 'y' },
      { op: 'remove', path: ['done'] },
      { op: 'add', path: ['note'], value: 'new field' },
    ]
    const result = await t.writeOk('todos', [entry('update', 1, { patches })])
    expect(result.items[0]).toMatchObject({
      status: 'confirmed',
      value: {
        id: 1,
        title: 'Buy milk',
        priority: 1,
        tags: ['a', 'b', 'c', 'd'],
        meta: { owner: { name: 'y' } },
        note: 'new field',
      },
    })
  })

  it('rejects patches that do not apply to the stored item with VALIDATION', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const result = await t.writeOk('todos', [
      entry('patch', 1, { patches: [{ op: 'replace', path: ['meta', 'owner'], value: 'x' }] }),
    ])
    expect(result.items[0]).toEqual({
      entryId: expect.any(String),
      status: 'rejected',
      error: {
        code: 'VALIDATION',
        message: expect.stringContaining(
          'patches[0] (replace ["meta","owner"]) does not apply: no object or array at ["meta"]',
        ),
        retryable: false,
      },
    })
    expect((await stored(1))?.version).toBe(1)
  })

  it('rejects patches that change the key or leave no object', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const result = await t.writeOk('todos', [
      entry('patch', 1, { patches: [{ op: 'replace', path: ['id'], value: 2 }] }),
      entry('patch', 1, { patches: [{ op: 'replace', path: [], value: 'text' }] }),
    ])
    expect(result.items.map((item) => item.status === 'rejected' && item.error.code)).toEqual([
      'VALIDATION',
      'VALIDATION',
    ])
  })

  it('deletes, answering value null one version up; the item is gone', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const e = entry('delete', 1, { baseVersion: 1 })
    const result = await t.writeOk('todos', [e])
    expect(result.items).toEqual([
      { entryId: e.entryId, status: 'confirmed', id: 1, version: 2, value: null },
    ])
    expect(idsOf(await t.query('todos', {}))).toEqual([])
  })

  it('answers NOT_FOUND to update, patch and delete of a missing id', async () => {
    const result = await t.writeOk('todos', [
      entry('update', 404, { value: { title: 'x' } }),
      entry('patch', 404, { patches: [{ op: 'replace', path: ['title'], value: 'x' }] }),
      entry('delete', 404),
    ])
    expect(result.status).toBe('rejected')
    for (const item of result.items) {
      expect(item).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', retryable: false } })
      if (item.status === 'rejected')
        expect(item.error.message).toMatch(/^todos\/404 \(entry "e-.*"\): there is no such item/)
    }
  })

  it('upserts: creates at version 1, then replaces', async () => {
    const first = await t.writeOk('todos', [entry('upsert', 1, { value: milk })])
    expect(first.items[0]).toMatchObject({ status: 'confirmed', version: 1 })
    const second = await t.writeOk('todos', [entry('upsert', 1, { value: { title: 'replaced' } })])
    expect(second.items[0]).toMatchObject({
      status: 'confirmed',
      version: 2,
      value: { id: 1, title: 'replaced' },
    })
  })

  it('checks an upsert baseVersion against an existing item only', async () => {
    const missing = await t.writeOk('todos', [entry('upsert', 1, { value: milk, baseVersion: 3 })])
    expect(missing.items[0]).toMatchObject({ status: 'confirmed', version: 1 })
    const stale = await t.writeOk('todos', [entry('upsert', 1, { value: milk, baseVersion: 0 })])
    expect(stale.items[0]).toMatchObject({ status: 'rejected', error: { code: 'CONFLICT', current: milk } })
  })
})

describe('versions and conflicts', () => {
  it('rejects a stale baseVersion with CONFLICT, retryable false, and the current item', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    await t.writeOk('todos', [entry('update', 1, { value: { ...milk, title: 'v2' }, baseVersion: 1 })])
    for (const op of ['update', 'patch', 'delete'] as const) {
      const result = await t.writeOk('todos', [
        entry(op, 1, {
          baseVersion: 1,
          ...(op === 'delete' ? {} : { patches: [{ op: 'replace', path: ['title'], value: 'stale' }] }),
        }),
      ])
      expect(result.items[0]).toMatchObject({
        status: 'rejected',
        error: { code: 'CONFLICT', retryable: false, current: { ...milk, title: 'v2' } },
      })
      if (result.items[0]?.status === 'rejected') {
        expect(result.items[0].error.message).toContain('expected version 1 but the item is at 2')
      }
    }
    expect(await stored(1)).toEqual({ id: 1, version: 2, value: { ...milk, title: 'v2' } })
  })

  it('counts one version per change', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    for (let version = 1; version < 5; version++) {
      const result = await t.writeOk('todos', [
        entry('patch', 1, {
          baseVersion: version,
          patches: [{ op: 'replace', path: ['priority'], value: version }],
        }),
      ])
      expect(result.items[0]).toMatchObject({ status: 'confirmed', version: version + 1 })
    }
  })

  it('takes every version from one sequence per store: its ids share it, other stores have their own', async () => {
    const versions = async (store: string, entries: unknown[]) =>
      (await t.writeOk(store, entries)).items.map((item) =>
        item.status === 'confirmed' ? item.version : item.error.code,
      )
    expect(
      await versions('todos', [
        entry('create', 1, { value: milk }),
        entry('create', 2, { value: { ...milk, id: 2 } }),
      ]),
    ).toEqual([1, 2])
    expect(await versions('notes', [entry('create', 'n', { value: {} })])).toEqual([1])
    expect(await versions('todos', [entry('update', 1, { value: milk }), entry('delete', 2)])).toEqual([3, 4])
    // A rejected entry takes no number.
    expect(
      await versions('todos', [
        entry('update', 404, { value: { ...milk, id: 404 } }),
        entry('create', 3, { value: { ...milk, id: 3 } }),
      ]),
    ).toEqual(['NOT_FOUND', 5])
    expect(await t.database.db.query('SELECT store, version::text FROM atoma_stores ORDER BY store')).toEqual(
      [
        { store: 'notes', version: '1' },
        { store: 'todos', version: '5' },
      ],
    )
  })

  it('keeps a delete as a tombstone: out of every read, NOT_FOUND to a change, revived at the next version', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk }), entry('delete', 1)])
    expect(
      await t.database.db.query('SELECT version::text, deleted, data->>$1 AS title FROM atoma_items', [
        'title',
      ]),
    ).toEqual([{ version: '2', deleted: true, title: 'Buy milk' }])
    expect(idsOf(await t.query('todos', {}))).toEqual([])
    expect(idsOf(await t.query('todos', { where: { title: 'Buy milk' } }))).toEqual([])
    const changes = await t.writeOk('todos', [
      entry('update', 1, { value: milk }),
      entry('patch', 1, { patches: [{ op: 'replace', path: ['done'], value: true }] }),
      entry('delete', 1),
    ])
    expect(changes.items.map((item) => item.status === 'rejected' && item.error.code)).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'NOT_FOUND',
    ])
    const revived = await t.writeOk('todos', [
      entry('upsert', 1, { value: { ...milk, title: 'again' }, baseVersion: 1 }),
    ])
    expect(revived.items[0]).toMatchObject({ status: 'confirmed', version: 3, value: { title: 'again' } })
    expect(await stored(1)).toEqual({ id: 1, version: 3, value: { ...milk, title: 'again' } })
  })

  it('carries the current version with the current item of a CONFLICT, so the client can heal', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk }), entry('update', 1, { value: milk })])
    const stale = await t.writeOk('todos', [entry('update', 1, { value: milk, baseVersion: 1 })])
    expect(stale.items[0]).toMatchObject({ error: { code: 'CONFLICT', current: milk, currentVersion: 2 } })
    const again = await t.writeOk('todos', [entry('create', 1, { value: milk })])
    expect(again.items[0]).toMatchObject({ error: { code: 'CONFLICT', currentVersion: 2 } })
    const healed = await t.writeOk('todos', [
      entry('update', 1, { value: { ...milk, done: true }, baseVersion: 2 }),
    ])
    expect(healed.items[0]).toMatchObject({ status: 'confirmed', version: 3 })
  })

  it('never lets a stale writer match a re-created item (no ABA)', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    await t.writeOk('todos', [
      entry('delete', 1),
      entry('create', 1, { value: { ...milk, title: 'reborn' } }),
    ])
    const stale = await t.writeOk('todos', [
      entry('update', 1, { value: { ...milk, title: 'stale' }, baseVersion: 1 }),
    ])
    expect(stale.items[0]).toMatchObject({
      error: { code: 'CONFLICT', current: { title: 'reborn' }, currentVersion: 3 },
    })
  })

  it('refuses, unapplied, a change whose version would pass 2^53 - 1 (JSON could not carry it)', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    await t.database.db.query(`UPDATE atoma_stores SET version = 9007199254740991 WHERE store = 'todos'`)
    const errors: unknown[] = []
    const past = await startTestServer({ onError: (error) => errors.push(error) }, t.database)
    try {
      const result = await past.writeOk('todos', [entry('update', 1, { value: { ...milk, done: true } })])
      expect(result.items[0]).toMatchObject({
        status: 'rejected',
        error: { code: 'TRANSPORT', retryable: true },
      })
      expect(String(errors[0])).toContain('expected an integer up to 2^53 - 1')
      expect(await stored(1)).toEqual({ id: 1, version: 1, value: milk })
    } finally {
      await past.close()
    }
  })

  it('gives concurrent writers of one store distinct versions, none skipped', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.writeOk('todos', [entry('create', i, { value: { ...milk, id: i } })]),
      ),
    )
    const versions = results.map((result) =>
      result.items[0]?.status === 'confirmed' ? result.items[0].version : 0,
    )
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
  })
})

describe('partial batches', () => {
  it('keeps the confirmed entries of a batch in which others fail, answering in order', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const entries = [
      entry('create', 2, { value: { title: 'two' } }),
      entry('create', 1, { value: { title: 'duplicate' } }),
      entry('update', 1, { value: { ...milk, done: true }, baseVersion: 1 }),
      entry('delete', 99),
    ]
    const result = await t.writeOk('todos', entries)
    expect(result.status).toBe('partial')
    expect(result.items.map((item) => [item.entryId, item.status])).toEqual([
      [entries[0]?.entryId, 'confirmed'],
      [entries[1]?.entryId, 'rejected'],
      [entries[2]?.entryId, 'confirmed'],
      [entries[3]?.entryId, 'rejected'],
    ])
    expect(itemsOf(await t.query('todos', {}))).toEqual([
      { ...milk, done: true },
      { id: 2, title: 'two' },
    ])
  })

  it('runs the ops of one request in order: a query sees the writes before it', async () => {
    const results = await t.ops([
      { opId: 'w', kind: 'write', store: 'todos', entries: [entry('create', 1, { value: milk })] },
      { opId: 'q', kind: 'query', store: 'todos', query: {} },
    ])
    expect(results.map((result) => result.opId)).toEqual(['w', 'q'])
    expect(itemsOf(results[1] ?? results[0]!)).toEqual([milk])
  })
})

describe('idempotency', () => {
  it('replays a repeated key without applying the write twice', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const patch = entry('patch', 1, { patches: [{ op: 'replace', path: ['priority'], value: 9 }] })
    const first = await t.writeOk('todos', [patch])
    const again = await t.writeOk('todos', [patch])
    expect(again.items).toEqual(first.items)
    expect(again.items[0]).toMatchObject({ status: 'confirmed', version: 2 })
    expect((await stored(1))?.version).toBe(2)
  })

  it('replays a create and a delete, answering with the retry entryId', async () => {
    const create = entry('create', 1, { value: milk })
    await t.writeOk('todos', [create])
    const retry = await t.writeOk('todos', [{ ...create, entryId: 'retry-1' }])
    expect(retry.items).toEqual([{ entryId: 'retry-1', status: 'confirmed', id: 1, version: 1, value: milk }])
    const remove = entry('delete', 1)
    await t.writeOk('todos', [remove])
    expect((await t.writeOk('todos', [remove])).items[0]).toMatchObject({
      status: 'confirmed',
      version: 2,
      value: null,
    })
  })

  it('replays a patch retried with a recomputed value, since patches decide what is applied', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const patch = entry('patch', 1, {
      value: { ...milk, priority: 9 },
      patches: [{ op: 'replace', path: ['priority'], value: 9 }],
    })
    await t.writeOk('todos', [patch])
    const retry = await t.writeOk('todos', [{ ...patch, value: { ...milk, priority: 9, title: 'rebased' } }])
    expect(retry.items[0]).toMatchObject({ status: 'confirmed', version: 2, value: { ...milk, priority: 9 } })
  })

  it('replays within one op', async () => {
    const create = entry('create', 1, { value: milk })
    const result = await t.writeOk('todos', [create, { ...create, entryId: 'twin' }])
    expect(result.status).toBe('confirmed')
    expect(result.items.map((item) => item.status === 'confirmed' && item.version)).toEqual([1, 1])
  })

  it('refuses a key reused for a different write', async () => {
    const create = entry('create', 1, { value: milk })
    await t.writeOk('todos', [create])
    const result = await t.writeOk('todos', [{ ...create, id: 2, value: { ...milk, id: 2 } }])
    expect(result.items[0]).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION' } })
    expect(idsOf(await t.query('todos', {}))).toEqual([1])
  })

  it('does not spend the key of a rejected write', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const create = entry('create', 1, { value: { title: 'again' } })
    expect((await t.writeOk('todos', [create])).status).toBe('rejected')
    await t.writeOk('todos', [entry('delete', 1)])
    const retry = await t.writeOk('todos', [create])
    // Versions 1 and 2 went to the first create and the delete: the re-created item takes 3.
    expect(retry.items[0]).toMatchObject({
      status: 'confirmed',
      version: 3,
      value: { id: 1, title: 'again' },
    })
  })

  it('applies a key once when the same write arrives concurrently', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const patch = entry('patch', 1, { patches: [{ op: 'replace', path: ['priority'], value: 7 }] })
    const results = await Promise.all(Array.from({ length: 8 }, () => t.writeOk('todos', [patch])))
    for (const result of results) expect(result.items[0]).toMatchObject({ status: 'confirmed', version: 2 })
    expect((await stored(1))?.version).toBe(2)
  })

  it('lets exactly one of concurrent creates of the same id win', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        t.writeOk('todos', [entry('create', 1, { value: { title: `n${n}` } })]),
      ),
    )
    const statuses = results.map((result) => result.items[0]?.status)
    expect(statuses.filter((status) => status === 'confirmed')).toHaveLength(1)
    for (const result of results) {
      if (result.items[0]?.status === 'rejected') expect(result.items[0].error.code).toBe('CONFLICT')
    }
  })
})

describe('write validation', () => {
  it.each([
    [{ ...entry('create', 2, { value: { id: 3 } }) }, 'value.id is "3", not the entry\'s id'],
    [entry('create', 2), 'a create needs a value'],
    [entry('update', 1), 'update needs patches or a value'],
    [{ ...entry('create', 2, { value: {} }), extra: 1 }, 'unknown property "extra"'],
    [
      { ...entry('create', 2, { value: {} }), idempotencyKey: '' },
      'idempotencyKey must be a non-empty string',
    ],
    [{ ...entry('create', 2, { value: {} }), op: 'merge' }, 'op must be one of'],
    [
      { ...entry('create', 2, { value: {} }), id: { nested: 1 } },
      'id must be a finite number or a non-empty string',
    ],
    [{ ...entry('create', 2, { value: {} }), id: '' }, 'id must be'],
    [entry('create', 2, { value: {}, baseVersion: -1 }), 'baseVersion must be a non-negative integer'],
    [{ ...entry('create', 2, { value: {} }), clientTimeMs: 'now' }, 'clientTimeMs must be a number'],
    [entry('create', 2, { value: [] }), 'value must be an object (the whole item)'],
    [entry('create', 2, { value: { title: 'a\u0000' } }), 'NUL character'],
    [entry('create', 2, { value: { title: '\uD800' } }), 'lone surrogate'],
    [
      entry('patch', 1, { patches: [{ op: 'replace', path: ['__proto__', 'x'], value: 1 }] }),
      'forbidden segment "__proto__"',
    ],
    [
      entry('patch', 1, { patches: [{ op: 'replace', path: ['constructor', 'x'], value: 1 }] }),
      'forbidden segment "constructor"',
    ],
    [
      entry('patch', 1, { patches: [{ op: 'add', path: ['a', 'prototype'], value: 1 }] }),
      'forbidden segment "prototype"',
    ],
    [
      { ...entry('patch', 1), patches: [{ op: 'move', path: ['title'] }] },
      'op must be "add", "remove" or "replace"',
    ],
    [
      { ...entry('patch', 1), patches: [{ op: 'replace', path: 'title', value: 1 }] },
      'path must be an array',
    ],
    [
      entry('patch', 1, { patches: [{ op: 'add', path: ['x'], value: ['\u0000'] }] }),
      'patches[0].value[0] contains a NUL',
    ],
    // Keys no client could receive safely: the server stores none of them.
    [entry('create', 6, { value: { constructor: 1 } }), 'value has the forbidden key "constructor"'],
    [
      entry('create', 6, { value: { a: [{ prototype: {} }] } }),
      'value.a[0] has the forbidden key "prototype"',
    ],
    [
      entry('patch', 1, { patches: [{ op: 'add', path: ['x'], value: { constructor: 1 } }] }),
      'patches[0].value has the forbidden key "constructor"',
    ],
  ])(
    'rejects the entry %j with VALIDATION naming it, and applies the rest of the batch',
    async (bad, message) => {
      await t.writeOk('todos', [entry('create', 1, { value: milk })])
      const valid = entry('create', 5, { value: { title: 'valid' } })
      const result = await t.writeOk('todos', [valid, bad])
      expect(result.status).toBe('partial')
      expect(result.items[0]).toMatchObject({ entryId: valid.entryId, status: 'confirmed' })
      expect(result.items[1]).toMatchObject({
        entryId: bad.entryId,
        status: 'rejected',
        error: { code: 'VALIDATION', retryable: false },
      })
      const error = result.items[1]?.status === 'rejected' ? result.items[1].error.message : ''
      expect(error).toContain(`(entry "${bad.entryId}")`)
      expect(error).toContain(message)
      expect(itemsOf(await t.query('todos', {}))).toEqual([milk, { id: 5, title: 'valid' }])
      expect(({} as Record<string, unknown>).x).toBeUndefined()
    },
  )

  it('ignores the value of a remove patch', async () => {
    await t.writeOk('todos', [entry('create', 1, { value: milk })])
    const result = await t.writeOk('todos', [
      entry('patch', 1, { patches: [{ op: 'remove', path: ['done'], value: 1 }] }),
    ])
    expect(result.items[0]).toMatchObject({
      status: 'confirmed',
      value: { id: 1, title: 'Buy milk', priority: 1 },
    })
  })

  it.each([
    ['not an array', 'entries must be an array'],
    [[entry('create', 5, { value: {} }), 'text'], 'entries[1] must be an object'],
    [
      [entry('create', 5, { value: {} }), { ...entry('create', 6, { value: {} }), entryId: '' }],
      'entries[1].entryId must be',
    ],
    [[entry('create', 5, { value: {} }), { op: 'create', id: 6 }], 'entries[1].entryId must be'],
  ])('fails the whole op when an entry cannot be answered on its own: %j', async (entries, message) => {
    const error = opError(await t.write('todos', entries))
    expect(error).toMatchObject({ code: 'VALIDATION', retryable: false })
    expect(error.message).toContain(message)
    expect(idsOf(await t.query('todos', {}))).toEqual([])
  })

  it('fails the whole op for duplicate entryIds and too many entries', async () => {
    const e = entry('create', 1, { value: milk })
    expect(opError(await t.write('todos', [e, { ...e, idempotencyKey: 'other' }])).message).toContain(
      'duplicate entryId',
    )
    const many = Array.from({ length: 501 }, (_, n) => entry('create', n, { value: {} }))
    expect(opError(await t.write('todos', many)).message).toContain('at most 500 entries')
    expect(idsOf(await t.query('todos', {}))).toEqual([])
  })
})
