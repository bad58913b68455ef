import { computed, defineLogic, inspectLogic, type LogicSource } from '@atoma/logic'
import { createRuntime, defineStore, getDevtoolsInstance } from '@atoma/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { jobs, sleep, uniqueLabel } from '../helpers.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const worker = defineLogic('worker', ($) => {
  for (const mode of ['parallel', 'latest', 'exhaust', 'sequence'] as const)
    $.onAction(jobs, 'trigger', ({ payload, signal }) => sleep(payload, signal), { mode })
})

const cart = defineStore('cart', {
  initial: { n: 1, double: 0 },
  traits: { double: computed(['n'], (s: { n: number }) => s.n * 2) },
})

function exposedLogic(label: string): LogicSource | undefined {
  return getDevtoolsInstance(label)?.exposed?.().get('logic') as LogicSource | undefined
}

describe('the devtools source', () => {
  it('is exposed as `logic` with devtools on: the same inspection, and a change signal', async () => {
    const label = uniqueLabel('exposed')
    const runtime = createRuntime({ stores: [jobs, cart], logic: [worker], devtools: { label } })
    await vi.advanceTimersByTimeAsync(0)
    const source = exposedLogic(label)
    if (!source) throw new Error('no logic source exposed')
    const changes = vi.fn()
    const stop = source.subscribe(changes)
    runtime.store(jobs).actions.trigger(10)
    expect(changes).toHaveBeenCalled()
    expect(source.inspect()).toEqual(inspectLogic(runtime))
    expect(source.inspect().traits).toEqual([
      { store: 'cart', field: 'double', kind: 'trait-computed', deps: ['n'] },
    ])
    expect(source.inspect().logic[0]?.watchers.map((w) => [w.mode, w.running])).toEqual([
      ['parallel', 1],
      ['latest', 1],
      ['exhaust', 1],
      ['sequence', 1],
    ])
    stop()
    changes.mockClear()
    runtime.store(jobs).actions.trigger(10)
    expect(changes).not.toHaveBeenCalled()
    runtime.dispose()
  })

  it('a runtime with only traits exposes its trait graph too', () => {
    const label = uniqueLabel('traits')
    const runtime = createRuntime({ stores: [cart], devtools: { label } })
    expect(exposedLogic(label)?.inspect()).toEqual({
      logic: [],
      traits: [{ store: 'cart', field: 'double', kind: 'trait-computed', deps: ['n'] }],
    })
    runtime.dispose()
  })

  // Inspection is free without devtools: the counters `$.use(logic)` needs are all that is kept;
  // no run record, no event. The clock is the probe: a run record starts with a clock read, so the
  // logic must add none to what the same dispatches cost a runtime without it.
  async function clockReads(devtools: boolean, logic: boolean): Promise<number> {
    const runtime = createRuntime({
      stores: [jobs],
      logic: logic ? [worker] : [],
      ...(devtools ? { devtools: { label: uniqueLabel('probe') } } : {}),
    })
    await vi.advanceTimersByTimeAsync(0)
    const now = vi.spyOn(performance, 'now')
    for (let i = 0; i < 20; i++) runtime.store(jobs).actions.trigger(5)
    await vi.advanceTimersByTimeAsync(200)
    const reads = now.mock.calls.length
    now.mockRestore()
    if (logic) expect(inspectLogic(runtime).logic[0]?.watchers.map((w) => w.started)).toEqual([20, 20, 1, 20])
    runtime.dispose()
    return reads
  }

  it('without devtools, runs in every mode read no clock and record nothing', async () => {
    expect(await clockReads(false, true)).toBe(await clockReads(false, false))
  })

  it('with devtools the same runs are recorded (what the probe above would see)', async () => {
    expect(await clockReads(true, true)).toBeGreaterThan(await clockReads(true, false))
  })
})
