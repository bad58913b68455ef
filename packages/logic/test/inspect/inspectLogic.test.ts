import { computed, defineLogic, inspectLogic } from '@atoma/logic'
import { createRuntime, defineStore } from '@atoma/runtime'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { eventsOf, jobs, sleep, uniqueLabel } from '../helpers.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const autosave = defineLogic('autosave', ($) => {
  $.onAction(
    jobs,
    'edit',
    async ({ payload, signal, dispatch }) => {
      await sleep(300, signal)
      dispatch(jobs, 'save', payload)
    },
    { mode: 'latest', name: 'save draft' },
  )
})

describe('what devtools and tools can read', () => {
  it('inspectLogic: each watcher with its mode and counters', async () => {
    const runtime = createRuntime({ stores: [jobs], logic: [autosave] })
    await vi.advanceTimersByTimeAsync(0)
    runtime.store(jobs).actions.edit('a')
    runtime.store(jobs).actions.edit('ab')
    await vi.advanceTimersByTimeAsync(300)
    expect(inspectLogic(runtime)).toEqual({
      logic: [
        {
          name: 'autosave',
          phase: 'run',
          watchers: [
            {
              id: 'autosave#1',
              label: 'save draft',
              trigger: 'action',
              store: 'jobs',
              action: 'edit',
              mode: 'latest',
              started: 2,
              finished: 1,
              aborted: 1,
              failed: 0,
              dropped: 0,
              running: 0,
              queued: 0,
            },
          ],
        },
      ],
      traits: [],
    })
  })

  it('the hub gets the causal chain: the action’s commit → the run (with its outcome) → the commits it wrote', async () => {
    const label = uniqueLabel('causal')
    const cart = defineStore('cart', {
      initial: { n: 1, double: 0 },
      traits: { double: computed(['n'], (s: { n: number }) => s.n * 2) },
    })
    const runtime = createRuntime({ stores: [jobs, cart], logic: [autosave], devtools: { label } })
    await vi.advanceTimersByTimeAsync(0)
    const first = runtime.store(jobs).actions.edit('a')
    const second = runtime.store(jobs).actions.edit('ab')
    await vi.advanceTimersByTimeAsync(300)
    const lifecycle = eventsOf(label, 'lifecycle').filter((e) => e.name?.startsWith('logic:'))
    expect(lifecycle.map((e) => e.name)).toEqual(['logic:traits', 'logic:setup', 'logic:run', 'logic:run'])
    expect(lifecycle[0]?.data).toEqual({
      traits: [{ store: 'cart', field: 'double', kind: 'trait-computed', deps: ['n'] }],
    })
    const [aborted, finished] = lifecycle.slice(2)
    expect(aborted).toMatchObject({
      txnId: first.txnId,
      data: {
        logic: 'autosave',
        watcher: 'autosave#1',
        mode: 'latest',
        status: 'aborted',
        opId: 'flow:autosave#1.1',
        writes: [],
      },
    })
    expect(finished).toMatchObject({
      txnId: second.txnId,
      data: { status: 'finished', opId: 'flow:autosave#1.2', counts: { started: 2, aborted: 1 } },
    })
    const [write] = (finished?.data as { writes: number[] } | undefined)?.writes ?? []
    const saved = eventsOf(label, 'state:update').find((e) => e.txnId === write)
    expect(saved).toMatchObject({ store: 'jobs', name: 'save', originKind: 'action' })
    // And the run itself is an op on the bus, linked to the commit that triggered it.
    const flows = eventsOf(label, 'effectop').filter((e) => (e.data as { opKind: string }).opKind === 'flow')
    expect(flows.map((e) => [e.name, e.txnId])).toEqual([
      ['autosave/save draft', first.txnId],
      ['autosave/save draft', second.txnId],
    ])
    // The superseded run's op is a cancellation (the kernel's ABORTED), not an error, as the
    // panel's Ops view shows an aborted query.
    expect(flows.map((e) => (e.data as { status: string; errorCode?: string }).errorCode ?? 'ok')).toEqual([
      'ABORTED',
      'ok',
    ])
    runtime.dispose()
  })
})
