import type { WriteEntry } from '@atoma/runtime'
import { indexedDbOutbox, memoryOutbox, type OutboxStorage } from '@atoma/sync'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { recordProblem } from '../../src/outbox/outboxRecord.js'

let n = 0
const entry = (id: string, extra: Partial<WriteEntry> = {}): WriteEntry => ({
  entryId: `e${++n}`,
  op: 'upsert',
  id,
  value: { id },
  idempotencyKey: `k${n}`,
  clientTimeMs: 0,
  ...extra,
})

describe.each<[string, () => { make: () => OutboxStorage }]>([
  [
    'memory',
    () => {
      const data = { records: [], quarantined: [], seq: 0 }
      return { make: () => memoryOutbox(data) }
    },
  ],
  [
    'indexeddb',
    () => {
      const indexedDB = new IDBFactory()
      return { make: () => indexedDbOutbox({ name: 'test', indexedDB }) }
    },
  ],
])('%s outbox storage', (_kind, fixture) => {
  it('appends in order, keeps updates, removes, and a reopened storage finds the same', async () => {
    const { make } = fixture()
    const first = make()
    const added = await first.append([
      { store: 'tasks', write: 'w1', entry: entry('a'), attempts: 0 },
      { store: 'tasks', write: 'w1', entry: entry('b'), attempts: 0 },
    ])
    const [a, b] = added
    expect(a && b && a.seq < b.seq).toBe(true)
    const more = await first.append([{ store: 'notes', write: 'w2', entry: entry('c'), attempts: 0 }])
    expect(more[0]!.seq).toBeGreaterThan(b!.seq)
    await first.update({
      ...a!,
      attempts: 2,
      lastError: { code: 'TRANSPORT', message: 'down', retryable: true },
    })
    await first.remove([b!.seq])
    first.close()
    const again = await make().load()
    expect(again).toEqual([
      { ...a!, attempts: 2, lastError: { code: 'TRANSPORT', message: 'down', retryable: true } },
      more[0],
    ])
  })

  it('quarantines a record out of the outbox, never dropping it', async () => {
    const { make } = fixture()
    const storage = make()
    const [added] = await storage.append([{ store: 'tasks', write: 'w', entry: entry('a'), attempts: 0 }])
    await storage.quarantine(added, 'broken for the test')
    expect(await storage.load()).toEqual([])
  })
})

describe('recordProblem', () => {
  const good = { seq: 1, store: 'tasks', write: 'w', entry: entry('a'), attempts: 0 }
  it.each<[string, unknown, RegExp]>([
    ['a string', 'nope', /not an object/],
    ['no seq', { ...good, seq: 'x' }, /seq/],
    ['no store', { ...good, store: '' }, /no store/],
    ['an unknown op', { ...good, entry: { ...good.entry, op: 'drop' } }, /unknown op/],
    ['no idempotency key', { ...good, entry: { ...good.entry, idempotencyKey: '' } }, /idempotency/],
    ['an upsert without value', { ...good, entry: { ...good.entry, value: undefined } }, /no value/],
    ['a fractional baseVersion', { ...good, entry: { ...good.entry, baseVersion: 1.5 } }, /baseVersion/],
    ['an id that is an object', { ...good, entry: { ...good.entry, id: {} } }, /usable id/],
  ])('refuses %s', (_what, raw, message) => {
    expect(recordProblem(raw)).toMatch(message)
  })
  it('accepts a good record', () => expect(recordProblem(good)).toBeUndefined())
})
