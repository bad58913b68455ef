import { describe, expect, it } from 'vitest'
import { composeMiddleware } from '../../src/bus/composeMiddleware.js'
import { debugObserver, type EffectOpEventData } from '../../src/bus/debugObserver.js'
import type { EffectOp } from '../../src/bus/effectOp.js'
import type { DebugEventInput } from '../../src/debug/events.js'

function setup() {
  const events: DebugEventInput[] = []
  const run = composeMiddleware([debugObserver({ emit: (event) => events.push(event) })])
  return { events, run }
}

const op = <R>(run: () => R): EffectOp<R> => ({
  id: 'op:7',
  kind: 'action',
  name: 'setFilter',
  meta: { store: 'ui', txnId: 3 },
  run,
})

describe('debugObserver', () => {
  it('emits one effectop event for a synchronous op that succeeds', () => {
    const { events, run } = setup()
    expect(run(op(() => 'done'))).toBe('done')
    expect(events).toEqual([
      {
        kind: 'effectop',
        name: 'setFilter',
        store: 'ui',
        txnId: 3,
        data: { opId: 'op:7', opKind: 'action', status: 'ok', durationMs: expect.any(Number) },
      },
    ])
    const data = events[0]?.data as EffectOpEventData | undefined
    expect(data?.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('reports a synchronous throw as an error and rethrows it', () => {
    const { events, run } = setup()
    const failure = new Error('recipe failed')
    expect(() =>
      run(
        op(() => {
          throw failure
        }),
      ),
    ).toThrow(failure)
    expect(events).toHaveLength(1)
    expect(events[0]?.data).toMatchObject({ status: 'error', error: 'recipe failed' })
  })

  it('emits nothing until an async op settles, then reports ok', async () => {
    const { events, run } = setup()
    let resolve: (value: number) => void = () => {}
    const pending = run(op(() => new Promise<number>((r) => (resolve = r))))
    expect(events).toEqual([])
    resolve(9)
    await expect(pending).resolves.toBe(9)
    expect(events[0]?.data).toMatchObject({ status: 'ok', opKind: 'action' })
  })

  it('reports an async rejection with its message and still rejects', async () => {
    const { events, run } = setup()
    await expect(run(op(() => Promise.reject('offline')))).rejects.toBe('offline')
    expect(events[0]?.data).toMatchObject({ status: 'error', error: 'offline' })
  })

  it('reads meta when the op settles, so a txnId recorded while running is reported', () => {
    const { events, run } = setup()
    const late: EffectOp<void> = {
      id: 'op:8',
      kind: 'state',
      name: 'optimistic',
      meta: { store: 'todos' },
      run: () => {
        if (late.meta) late.meta.txnId = 12
      },
    }
    run(late)
    expect(events[0]).toMatchObject({ store: 'todos', txnId: 12 })
  })

  it('omits store and txnId when the op has no meta', () => {
    const { events, run } = setup()
    run({ id: 'op:9', kind: 'lifecycle', name: 'init', run: () => undefined })
    expect(events[0]).toMatchObject({ kind: 'effectop', name: 'init' })
    expect(events[0]?.store).toBeUndefined()
    expect(events[0]?.txnId).toBeUndefined()
  })
})
