import { type RuntimeDebugEvent, toSerializable } from '@atoma/runtime'
import { describe, expect, it } from 'vitest'
import { linkChains } from '../src/model/causalChain.js'
import { describeEvent, toneOf } from '../src/model/describeEvent.js'
import { diffJson } from '../src/model/diffJson.js'
import { linkFlows } from '../src/model/flowChain.js'
import { formatValue } from '../src/model/formatValue.js'
import { childrenOf, jsonValue, liveValue } from '../src/model/inspect.js'
import { type TxnView, txnKey } from '../src/model/txnView.js'
import { recordedTxn } from '../src/recording/recordedTxn.js'

describe('formatValue', () => {
  it('names every serializer marker for what it stands for', () => {
    const fn = function save() {}
    const value = {
      n: Number.NaN,
      neg: -0,
      u: undefined,
      b: 12n,
      s: Symbol('tag'),
      f: fn,
      d: new Date('2024-01-02T03:04:05.000Z'),
      r: /ab+/gi,
      e: new TypeError('bad'),
      m: new Map([[1, 'one']]),
      set: new Set([true]),
    }
    const shown = Object.entries(value).map(([key, item]) => `${key}=${formatValue(toSerializable(item))}`)
    expect(shown).toEqual([
      'n=NaN',
      'neg=-0',
      'u=undefined',
      'b=12n',
      's=Symbol(tag)',
      'f=ƒ save()',
      'd=2024-01-02T03:04:05.000Z',
      'r=/ab+/gi',
      'e=TypeError: bad',
      'm=Map(1) {1 => "one"}',
      'set=Set(1) {true}',
    ])
  })

  it('shows escaped keys as the user wrote them and never exceeds its length', () => {
    expect(formatValue(toSerializable({ $type: 'user data', __proto__x: 1 }))).toBe(
      '{$type: "user data", __proto__x: 1}',
    )
    const long = formatValue(toSerializable({ text: 'x'.repeat(500) }), 40)
    expect(long).toHaveLength(40)
    expect(long.endsWith('…')).toBe(true)
  })
})

describe('diffJson', () => {
  it('reports leaf changes with their paths, inside objects, arrays and Maps', () => {
    const before = toSerializable({ a: 1, list: [1, 2], tags: new Map([['x', 1]]), gone: true })
    const after = toSerializable({ a: 2, list: [1, 2, 3], tags: new Map([['x', 2]]), added: 'y' })
    expect(diffJson(before, after)).toEqual([
      { path: 'a', kind: 'changed', before: 1, after: 2 },
      { path: 'list[2]', kind: 'added', after: 3 },
      { path: 'tags{"x"}', kind: 'changed', before: 1, after: 2 },
      { path: 'gone', kind: 'removed', before: true },
      { path: 'added', kind: 'added', after: 'y' },
    ])
    expect(diffJson(undefined, 5)).toEqual([{ path: '', kind: 'added', after: 5 }])
    expect(diffJson({ a: 1 }, { a: 1 })).toEqual([])
  })
})

describe('inspect', () => {
  it('pages a live Map without copying it, and reads what a recording left out', () => {
    const map = new Map(Array.from({ length: 250 }, (_, i) => [`k${i}`, i]))
    const page = childrenOf(liveValue(map), 200, 100)
    expect(page.total).toBe(250)
    expect(page.children.map((child) => child.key).slice(0, 2)).toEqual(['"k200"', '"k201"'])
    expect(page.children).toHaveLength(50)

    const recorded = childrenOf(jsonValue(toSerializable(map, { maxEntries: 10 })), 0, 100)
    expect(recorded).toMatchObject({ total: 10, omitted: 240 })
  })

  it('reports a throwing getter as unreadable instead of throwing', () => {
    const value = {
      get broken(): never {
        throw new Error('no')
      },
    }
    const [child] = childrenOf(liveValue(value), 0, 10).children
    expect(child?.node).toEqual(jsonValue({ $type: 'Unreadable', error: 'no' }))
  })
})

describe('linkChains', () => {
  const txn = (txnId: number, kind: string, changedIds: number[], opId?: string): TxnView =>
    recordedTxn(
      'app',
      {
        txnId,
        store: 'todos',
        origin: opId ? { kind, opId } : { kind },
        patches: [],
        inversePatches: [],
        patchesOmitted: 0,
        patchBytes: 2,
        patchBytesApprox: false,
        changedIds,
        startedAt: 0,
        durationMs: 0,
        changes: [],
        changesOmitted: 0,
      },
      undefined,
    )
  const update = (id: number, view: TxnView): RuntimeDebugEvent => ({
    eventId: id,
    timestamp: 0,
    runtimeLabel: 'app',
    kind: 'state:update',
    txnId: view.txnId,
    data: { view },
  })
  const service = (id: number, txnId: number): RuntimeDebugEvent => ({
    eventId: id,
    timestamp: 0,
    runtimeLabel: 'app',
    kind: 'effectop',
    name: 'todos/write',
    txnId,
    data: { opId: `todos/write:${txnId}`, opKind: 'service', status: 'ok', durationMs: 1 },
  })
  const link = (events: RuntimeDebugEvent[]) =>
    linkChains(events, (event) => (event.data as { view?: TxnView }).view, new Map(), new Map())

  it('settles interleaved writes by their planned ids, not by arrival order', () => {
    const a = txn(1, 'optimistic', [1])
    const b = txn(2, 'optimistic', [2])
    const bBack = txn(3, 'writeback', [2], '2')
    const aBack = txn(4, 'rollback', [1], '1')
    const chains = link([
      update(1, a),
      update(2, b),
      service(3, 2),
      service(4, 1),
      update(5, bBack),
      update(6, aBack),
    ])
    expect(chains.get(b.key)?.settles).toEqual([bBack])
    expect(chains.get(a.key)?.settles).toEqual([aBack])
    expect(chains.get(aBack.key)?.optimistic).toBe(a)
  })

  it('keeps a settle whose optimistic transaction was evicted as a chain of its own', () => {
    const back = txn(9, 'writeback', [5], '7')
    const chain = link([update(1, back)]).get(back.key)
    expect(chain?.optimistic).toBeUndefined()
    expect(chain?.settles).toEqual([back])
  })
})

describe('linkFlows', () => {
  const run = (id: number, data: unknown, txnId?: number): RuntimeDebugEvent => ({
    eventId: id,
    timestamp: 0,
    runtimeLabel: 'app',
    kind: 'lifecycle',
    name: 'logic:run',
    ...(txnId === undefined ? {} : { txnId }),
    data,
  })
  const good = { logic: 'l', watcher: 'l#1', label: 'w', mode: 'latest', status: 'finished', writes: [7] }

  it('links a run to the commit that triggered it and the commits it wrote, both ways', () => {
    const flows = linkFlows([run(1, good, 5)], new Map(), new Map())
    const { caused } = flows.flowsOf(txnKey('app', 5))
    expect(caused?.trigger).toMatchObject({ txnId: 5, txn: undefined, renders: [] })
    expect(caused?.runs.map((r) => r.writes.map((w) => w.txnId))).toEqual([[7]])
    const upstream = flows.flowsOf(txnKey('app', 7))
    expect(upstream.caused).toBeUndefined()
    expect(upstream.causedBy?.trigger?.txnId).toBe(5)
    // Commits of another runtime with the same ids are not linked.
    expect(flows.flowsOf(txnKey('other', 5))).toEqual({ caused: undefined, causedBy: undefined })
  })

  it('names a run in the Timeline with its outcome, and colours failures only as errors', () => {
    const failed = run(1, { ...good, status: 'failed', durationMs: 3.25, error: 'boom' }, 2)
    expect(describeEvent(failed)).toBe('logic:run · l/w · latest · failed · 3.3 ms · boom · txn #2')
    expect(toneOf(failed)).toBe('error')
    expect(toneOf(run(2, { ...good, status: 'aborted' }))).toBe('aborted')
    expect(toneOf(run(3, { ...good, status: 'dropped' }))).toBe('aborted')
    expect(toneOf(run(4, good))).toBeUndefined()
  })

  it('reads runs defensively: malformed events are skipped, bad write ids dropped', () => {
    const flows = linkFlows(
      [
        run(1, { ...good, status: 'exploded' }, 1),
        run(2, { ...good, watcher: 3 }, 1),
        run(3, 'not an object', 1),
        run(4, { ...good, writes: [1.5, 'x', 8] }),
      ],
      new Map(),
      new Map(),
    )
    expect(flows.runs.map((r) => r.event.eventId)).toEqual([4])
    expect(flows.runs[0]?.data.writes).toEqual([8])
    // A run no commit triggered (a `$.on` source's) has no trigger in its chain.
    expect(flows.flowsOf(txnKey('app', 8)).causedBy).toMatchObject({ trigger: undefined })
  })
})
