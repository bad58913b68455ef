import { createRuntime, defineCollection, type EntryResult, type Id } from '@atoma/runtime'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { controllableBackend, flush, type PendingCall } from './controllableBackend.js'

/**
 * The optimistic write chain against a simple model: visible state must always equal the
 * confirmed base plus the pending writes applied in order — whatever the backend does: confirm,
 * reject, fail, answer late, answer out of order, or change data behind the client's back.
 * A failure prints fast-check's seed and path; rerun with FC_SEED=<seed> FC_PATH=<path>; FC_RUNS
 * sets the number of runs (default 1000).
 */
interface Item {
  id: string
  title: string
  done: boolean
}
type ModelEntry =
  | { op: 'create' | 'upsert'; id: string; value: Item }
  | { op: 'update'; id: string; title: string }
  | { op: 'patch'; id: string; done: boolean }
  | { op: 'delete'; id: string }

const items = defineCollection<Item>('items', { key: 'id', policy: 'controlled' })
const ids = ['a', 'b', 'c', 'd']

type Step =
  | { t: 'create' | 'upsert'; id: string; title: string }
  | { t: 'update'; id: string; title: string }
  | { t: 'patch'; id: string; done: boolean }
  | { t: 'delete'; id: string }
  | { t: 'settle'; pick: number; how: 'confirm' | 'reject' | 'fail' }
  | { t: 'server'; id: string; title: string | null }
  | { t: 'query' }

const id = fc.constantFrom(...ids)
const title = fc.constantFrom('x', 'y', 'z')
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constantFrom('create' as const, 'upsert' as const), id, title }),
  fc.record({ t: fc.constant('update' as const), id, title }),
  fc.record({ t: fc.constant('patch' as const), id, done: fc.boolean() }),
  fc.record({ t: fc.constant('delete' as const), id }),
  {
    arbitrary: fc.record({
      t: fc.constant('settle' as const),
      pick: fc.nat(),
      how: fc.constantFrom('confirm' as const, 'reject' as const, 'fail' as const),
    }),
    weight: 4,
  },
  fc.record({ t: fc.constant('server' as const), id, title: fc.option(title) }),
  fc.record({ t: fc.constant('query' as const) }),
)

function replay(entry: ModelEntry, base: Item | undefined): Item | undefined {
  switch (entry.op) {
    case 'create':
    case 'upsert':
      return entry.value
    case 'update':
      return base && { ...base, title: entry.title }
    case 'patch':
      return base && { ...base, done: entry.done }
    case 'delete':
      return undefined
  }
}

class Model {
  base = new Map<Id, Item>()
  versions = new Map<Id, number>()
  pending: ModelEntry[][] = []
  epoch = 0
  confirmedAt = new Map<Id, number>()

  visible(): Map<Id, Item> {
    const out = new Map<Id, Item>()
    const touched = new Set<Id>([...this.base.keys(), ...this.pending.flat().map((e) => e.id)])
    for (const key of touched) {
      let value = this.base.get(key)
      for (const write of this.pending) for (const e of write) if (e.id === key) value = replay(e, value)
      if (value) out.set(key, value)
    }
    return out
  }

  settle(call: PendingCall): void {
    const index = this.pending.findIndex(
      (w) =>
        w.length === call.entries.length &&
        w.every((e, i) => e.op === call.entries[i]?.op && e.id === call.entries[i]?.id),
    )
    const [write] = this.pending.splice(index, 1)
    if (!write) throw new Error('model lost a write')
    const results = call.results ?? []
    // A rejection that tells the server's truth heals the id: a CONFLICT's current item, or the
    // absence a NOT_FOUND reports.
    const heals = (r: EntryResult | undefined, e: ModelEntry) =>
      r?.status === 'rejected' &&
      ((r.error.code === 'CONFLICT' && r.error.current !== undefined) ||
        (r.error.code === 'NOT_FOUND' && e.op !== 'create' && e.op !== 'upsert'))
    if (write.some((e, i) => results[i]?.status === 'confirmed' || heals(results[i], e))) this.epoch++
    for (const [i, e] of write.entries()) {
      const r = results[i]
      if (r?.status === 'rejected' && heals(r, e)) {
        this.confirmedAt.set(e.id, this.epoch)
        if (r.error.code === 'NOT_FOUND') {
          this.base.delete(e.id)
          this.versions.delete(e.id)
        } else {
          this.base.set(e.id, r.error.current as Item)
          if (r.error.currentVersion === undefined) this.versions.delete(e.id)
          else this.versions.set(e.id, r.error.currentVersion)
        }
        continue
      }
      if (r?.status !== 'confirmed') continue
      this.confirmedAt.set(e.id, this.epoch)
      if (e.op === 'delete') {
        this.base.delete(e.id)
        this.versions.delete(e.id)
      } else {
        this.base.set(e.id, r.value as Item)
        if (r.version !== undefined) this.versions.set(e.id, r.version)
      }
    }
  }

  land(call: PendingCall, mark: number): void {
    const returned = new Set<Id>()
    for (const { id: key, row } of call.snapshot) {
      returned.add(key)
      const known = this.versions.get(key)
      if (known !== undefined && row.version < known) continue
      this.versions.set(key, row.version)
      this.base.set(key, row.value as unknown as Item)
    }
    for (const key of [...this.base.keys()]) {
      if (returned.has(key) || (this.confirmedAt.get(key) ?? 0) > mark) continue
      this.base.delete(key)
      this.versions.delete(key)
    }
  }
}

const sorted = (map: ReadonlyMap<Id, Item>) =>
  [...map]
    .map(([k, v]) => [k, { id: v.id, title: v.title, done: v.done }])
    .sort(([a], [b]) => String(a).localeCompare(String(b)))

async function runScenario(steps: Step[]): Promise<void> {
  const backend = controllableBackend()
  const runtime = createRuntime({ stores: [items], plugins: [backend.plugin] })
  const handle = runtime.store(items)
  const model = new Model()
  // Which model write or query mark each backend call belongs to, by call identity.
  const queryMarks = new Map<PendingCall, number>()
  const knownCalls = new Set<PendingCall>()
  const noteNewCalls = (mark: number) => {
    for (const call of backend.calls)
      if (!knownCalls.has(call)) {
        knownCalls.add(call)
        if (call.kind === 'query') queryMarks.set(call, mark)
      }
  }

  const check = (label: string) => {
    expect(sorted(handle.getState()), label).toEqual(sorted(model.visible()))
  }

  for (const [n, s] of steps.entries()) {
    const visible = handle.get(('id' in s ? s.id : '') as Id)
    switch (s.t) {
      case 'create':
      case 'upsert': {
        if (s.t === 'create' && visible) break
        const value = { id: s.id, title: s.title, done: false }
        handle.write[s.t](value)
        model.pending.push([{ op: s.t, id: s.id, value }])
        break
      }
      case 'update':
        if (!visible) break
        handle.write.update(s.id, (d) => {
          d.title = s.title
        })
        model.pending.push([{ op: 'update', id: s.id, title: s.title }])
        break
      case 'patch':
        if (!visible) break
        handle.write.patch(s.id, { done: s.done })
        model.pending.push([{ op: 'patch', id: s.id, done: s.done }])
        break
      case 'delete':
        if (!visible) break
        handle.write.delete(s.id)
        model.pending.push([{ op: 'delete', id: s.id }])
        break
      case 'server': {
        const table = backend.table('items')
        const row = table.get(s.id)
        if (s.title === null) table.delete(s.id)
        else
          table.set(s.id, {
            value: { id: s.id, title: s.title, done: false },
            version: (row?.version ?? 0) + 1,
          })
        break
      }
      case 'query':
        void handle.query({}).catch(() => {})
        break
      case 'settle': {
        if (backend.calls.length === 0) break
        const call = backend.take(s.pick % backend.calls.length)
        if (call.kind === 'query') {
          if (s.how === 'confirm') {
            call.confirm()
            await flush()
            model.land(call, queryMarks.get(call) ?? 0)
          } else call.fail()
          break
        }
        call[s.how]()
        await flush()
        model.settle(call)
        break
      }
    }
    await flush()
    noteNewCalls(model.epoch)
    check(`after step ${n}: ${JSON.stringify(s)}`)
  }

  // Drain: everything still in flight is confirmed, in order.
  while (backend.calls.length > 0) {
    const call = backend.take()
    call.confirm()
    await flush()
    if (call.kind === 'query') model.land(call, queryMarks.get(call) ?? 0)
    else model.settle(call)
    await flush()
    noteNewCalls(model.epoch)
    check('while draining')
  }
  expect(handle.pendingCount()).toBe(0)
  runtime.dispose()
}

describe('optimistic writes: visible = confirmed base + pending writes, always', () => {
  it('holds for random operations against a backend that confirms, rejects, fails, delays and reorders', async () => {
    const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => runScenario(steps)),
      {
        numRuns: Number(process.env.FC_RUNS ?? 1000),
        ...(seed === undefined ? {} : { seed }),
        ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
      },
    )
  }, 180_000)
})
