import { defineLogic, type Mode } from '@atoma/logic'
import { createRuntime } from '@atoma/runtime'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { counts, jobs, quietConsole, sleep } from '../helpers.js'

/**
 * The four modes, through a real runtime: `jobs.trigger(ms)` starts a run that takes `ms` of fake
 * time (or ends at once with the abort when its signal aborts).
 */
function start(mode: Mode) {
  const seen = { started: [] as number[], finished: [] as number[], aborted: [] as number[] }
  let n = 0
  const logic = defineLogic('work', ($) => {
    $.onAction(
      jobs,
      'trigger',
      async ({ payload, signal }) => {
        const run = ++n
        seen.started.push(run)
        try {
          await sleep(payload, signal)
          seen.finished.push(run)
        } catch (error) {
          if (signal.aborted) seen.aborted.push(run)
          throw error
        }
      },
      { mode },
    )
  })
  const runtime = createRuntime({ stores: [jobs], logic: [logic] })
  const trigger = (ms: number) => runtime.store(jobs).actions.trigger(ms)
  return { runtime, seen, trigger, counts: () => counts(runtime, 'work') }
}

/** Fires due timers and lets the runs' continuations settle. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('modes', () => {
  it('parallel: every trigger starts a run, all of them finish', async () => {
    const { trigger, seen, counts } = start('parallel')
    await advance(0)
    trigger(100)
    trigger(100)
    trigger(50)
    expect(counts()).toMatchObject({ started: 3, running: 3, finished: 0 })
    await advance(50)
    expect(seen.finished).toEqual([3])
    await advance(50)
    expect(seen.finished).toEqual([3, 1, 2])
    expect(counts()).toMatchObject({ started: 3, finished: 3, aborted: 0, running: 0, mode: 'parallel' })
  })

  it('latest: a trigger aborts the running run through its signal; only the last finishes', async () => {
    const { trigger, seen, counts } = start('latest')
    await advance(0)
    trigger(100)
    await advance(30)
    trigger(100)
    await advance(30)
    trigger(100)
    await advance(0)
    expect(seen.aborted).toEqual([1, 2])
    expect(counts()).toMatchObject({ started: 3, aborted: 2, running: 1, finished: 0 })
    await advance(100)
    expect(seen.finished).toEqual([3])
    expect(counts()).toMatchObject({ started: 3, finished: 1, aborted: 2, failed: 0, running: 0 })
  })

  it('exhaust: triggers while a run is active are ignored, not queued', async () => {
    const { trigger, seen, counts } = start('exhaust')
    await advance(0)
    trigger(100)
    trigger(100)
    await advance(50)
    trigger(100)
    expect(counts()).toMatchObject({ started: 1, dropped: 2, running: 1 })
    await advance(50)
    expect(seen.finished).toEqual([1])
    trigger(10)
    await advance(10)
    expect(seen.finished).toEqual([1, 2])
    expect(counts()).toMatchObject({ started: 2, finished: 2, dropped: 2, aborted: 0, running: 0 })
  })

  it('sequence: triggers queue and run one at a time, in order', async () => {
    const { trigger, seen, counts } = start('sequence')
    await advance(0)
    trigger(30)
    trigger(10)
    trigger(20)
    expect(counts()).toMatchObject({ started: 1, queued: 2, running: 1 })
    await advance(30)
    expect(seen.finished).toEqual([1])
    expect(counts()).toMatchObject({ started: 2, queued: 1 })
    await advance(30)
    expect(seen.finished).toEqual([1, 2, 3])
    expect(counts()).toMatchObject({ started: 3, finished: 3, queued: 0, running: 0 })
  })

  it('dispose aborts every running handler and drops the queue; later triggers start nothing', async () => {
    const { runtime, trigger, seen, counts } = start('sequence')
    await advance(0)
    trigger(100)
    trigger(100)
    runtime.dispose()
    await advance(0)
    expect(seen.aborted).toEqual([1])
    expect(counts()).toMatchObject({ started: 1, aborted: 1, queued: 0, running: 0 })
    trigger(10)
    await advance(200)
    expect(seen.started).toEqual([1])
  })

  it('a handler that ignores its signal still counts as aborted, and cannot dispatch or write any more', async () => {
    quietConsole()
    const results: string[] = []
    const logic = defineLogic('stubborn', ($) => {
      $.onAction(
        jobs,
        'edit',
        async ({ payload, dispatch }) => {
          await sleep(50)
          try {
            dispatch(jobs, 'save', payload)
            results.push(`saved ${payload}`)
          } catch (error) {
            results.push(`refused ${payload}: ${(error as Error).name}`)
            throw error
          }
        },
        { mode: 'latest' },
      )
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await advance(0)
    runtime.store(jobs).actions.edit('a')
    runtime.store(jobs).actions.edit('ab')
    await advance(50)
    expect(results).toEqual(['refused a: AbortError', 'saved ab'])
    expect(runtime.store(jobs).getState().saved).toBe('ab')
    expect(counts(runtime, 'stubborn')).toMatchObject({ started: 2, aborted: 1, finished: 1, failed: 0 })
  })

  it('an error after the abort that is not the abort counts as a failure, never as a cancellation', async () => {
    quietConsole()
    const logic = defineLogic('buggy', ($) => {
      $.onAction(
        jobs,
        'trigger',
        async ({ signal }) => {
          await sleep(10)
          if (signal.aborted) throw new TypeError('bug in cleanup')
        },
        { mode: 'latest' },
      )
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await advance(0)
    runtime.store(jobs).actions.trigger(0)
    runtime.store(jobs).actions.trigger(0)
    await advance(10)
    expect(counts(runtime, 'buggy')).toMatchObject({ started: 2, failed: 1, finished: 1, aborted: 0 })
    expect(counts(runtime, 'buggy').lastError).toBe('bug in cleanup')
  })
})

/**
 * Random triggers and waits against a model of each mode: after every step the counters and the
 * handlers' own record (which runs started, finished, were aborted, in what order) match it.
 * FC_RUNS sets the run count; a failure replays with FC_SEED (and FC_PATH).
 */
describe('modes against a model', () => {
  type Step = { trigger: number } | { wait: number }
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ trigger: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ wait: fc.integer({ min: 0, max: 50 }) }),
  )

  interface ModelRun {
    id: number
    end?: number
    ms: number
  }

  /** The model: runs as start/end times; what is active at `now` is what has not ended by then. */
  function model(mode: Mode) {
    let now = 0
    let next = 0
    const active: ModelRun[] = []
    const queue: number[] = []
    const record = { started: [] as number[], finished: [] as number[], aborted: [] as number[], dropped: 0 }
    const begin = (ms: number, at: number) => {
      const run = { id: ++next, ms, end: at + ms }
      active.push(run)
      record.started.push(run.id)
    }
    // Ends every run due by `until`, in time order; under `sequence` the next one starts when one ends.
    const advanceTo = (until: number) => {
      for (;;) {
        const due = active
          .filter((r) => (r.end as number) <= until)
          .sort((a, b) => (a.end as number) - (b.end as number))
        const first = due[0]
        if (!first) break
        active.splice(active.indexOf(first), 1)
        record.finished.push(first.id)
        if (mode === 'sequence' && queue.length > 0) begin(queue.shift() as number, first.end as number)
      }
      now = until
    }
    return {
      record,
      queue,
      active,
      trigger(ms: number) {
        if (active.length > 0) {
          if (mode === 'exhaust') {
            record.dropped++
            return
          }
          if (mode === 'sequence') {
            queue.push(ms)
            return
          }
          if (mode === 'latest')
            for (const run of active.splice(0)) {
              record.aborted.push(run.id)
            }
        }
        begin(ms, now)
      },
      wait(ms: number) {
        advanceTo(now + ms)
      },
    }
  }

  for (const mode of ['parallel', 'latest', 'exhaust', 'sequence'] as const)
    it(`${mode}`, async () => {
      const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
          const real = start(mode)
          const expected = model(mode)
          await advance(0)
          try {
            for (const s of steps) {
              if ('trigger' in s) {
                real.trigger(s.trigger)
                expected.trigger(s.trigger)
              } else expected.wait(s.wait)
              await advance('wait' in s ? s.wait : 0)
              expect(real.seen.started).toEqual(expected.record.started)
              expect(real.seen.aborted).toEqual(expected.record.aborted)
              expect([...real.seen.finished].sort((a, b) => a - b)).toEqual(
                [...expected.record.finished].sort((a, b) => a - b),
              )
              expect(real.counts()).toMatchObject({
                started: expected.record.started.length,
                finished: expected.record.finished.length,
                aborted: expected.record.aborted.length,
                dropped: expected.record.dropped,
                queued: expected.queue.length,
                running: expected.active.length,
                failed: 0,
              })
            }
            if (mode === 'sequence') expect(real.seen.finished).toEqual(expected.record.finished)
          } finally {
            real.runtime.dispose()
          }
        }),
        {
          numRuns: Number(process.env.FC_RUNS ?? 60),
          ...(seed === undefined ? {} : { seed }),
          ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
        },
      )
    })
})
