import { defineLogic, inspectLogic, LogicPhaseError } from '@atoma/logic'
import {
  type AtomaPlugin,
  createRuntime,
  defineCollection,
  defineStore,
  type EffectOp,
  type Middleware,
  memoryBackend,
} from '@atoma/runtime'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { diagnostics, eventsOf, jobs, quietConsole, settle, sleep, uniqueLabel } from '../helpers.js'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

interface Note {
  id: string
  text: string
}

const other = defineStore('other', {
  initial: { n: 0 },
  actions: {
    bump: (d) => {
      d.n += 1
    },
  },
})

describe('setup and run phases', () => {
  it('setup only registers; the run phase starts once the runtime is ready, after async plugin starts', async () => {
    let release = () => {}
    const slow: AtomaPlugin = {
      name: 'slow',
      setup() {},
      start: () =>
        new Promise<void>((resolve) => {
          release = resolve
        }),
    }
    const phases: string[] = []
    const logic = defineLogic('phases', ($) => {
      phases.push('setup')
      $.lifecycle.onInit(() => {
        phases.push('init')
      })
    })
    const runtime = createRuntime({ stores: [jobs], plugins: [slow], logic: [logic] })
    expect(phases).toEqual(['setup'])
    expect(inspectLogic(runtime).logic[0]?.phase).toBe('pending')
    await settle()
    expect(phases).toEqual(['setup'])
    release()
    await settle()
    expect(phases).toEqual(['setup', 'init'])
    expect(inspectLogic(runtime).logic[0]?.phase).toBe('run')
  })

  it('actions dispatched before the run phase are delivered, in order, when it starts; state changes before it are the baseline', async () => {
    const seen: string[] = []
    const logic = defineLogic('early', ($) => {
      $.onAction(jobs, 'edit', ({ payload }) => {
        seen.push(`edit ${payload}`)
      })
      $.onState(
        jobs,
        (s) => s.draft,
        ({ value }) => {
          seen.push(`draft ${value}`)
        },
      )
      $.lifecycle.onInit(() => {
        seen.push('init')
      })
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    runtime.store(jobs).actions.edit('a')
    runtime.store(jobs).actions.edit('b')
    expect(seen).toEqual([])
    await settle()
    expect(seen).toEqual(['edit a', 'edit b', 'init'])
    runtime.store(jobs).actions.edit('c')
    expect(seen.slice(3).sort()).toEqual(['draft c', 'edit c'])
  })

  it('a run-phase capability in setup throws LogicPhaseError (createRuntime fails with it) and reports logic::invalid_phase', () => {
    quietConsole()
    const label = uniqueLabel('invalid-phase')
    const logic = defineLogic('eager', ($) => {
      $.use(jobs).read()
    })
    let thrown: unknown
    try {
      createRuntime({ stores: [jobs], logic: [logic], devtools: { label } })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(LogicPhaseError)
    expect(thrown).toMatchObject({
      code: 'INVALID_ARGUMENT',
      logic: 'eager',
      capability: 'read()',
      phase: 'setup',
    })
    expect((thrown as Error).message).toMatch(
      /read\(\) is a run-phase capability and cannot be called during setup/,
    )
    expect(diagnostics(label)).toContain('logic::invalid_phase')
    expect(eventsOf(label, 'diagnostic').find((e) => e.name === 'logic::invalid_phase')?.data).toMatchObject({
      data: { logic: 'eager', capability: 'read()', phase: 'setup' },
    })
  })

  it('dispatching from setup is refused the same way', () => {
    quietConsole()
    const logic = defineLogic('dispatcher', ($) => {
      $.use(jobs).dispatch('edit', 'x')
    })
    expect(() => createRuntime({ stores: [jobs], logic: [logic] })).toThrow(LogicPhaseError)
  })

  it('registering after setup (in a handler) throws LogicPhaseError: the run fails and is reported', async () => {
    quietConsole()
    const label = uniqueLabel('late-registration')
    const onError = vi.fn()
    const logic = defineLogic(
      'late',
      ($) => {
        $.onAction(jobs, 'trigger', () => {
          $.onAction(jobs, 'edit', () => {})
        })
      },
      { onError },
    )
    const runtime = createRuntime({ stores: [jobs], logic: [logic], devtools: { label } })
    await settle()
    runtime.store(jobs).actions.trigger(0)
    expect(onError).toHaveBeenCalledTimes(1)
    const [error, info] = onError.mock.calls[0] as [LogicPhaseError, unknown]
    expect(error).toBeInstanceOf(LogicPhaseError)
    expect(error).toMatchObject({ capability: '$.onAction', phase: 'run', required: 'setup' })
    expect(info).toEqual({ logic: 'late', where: 'onAction jobs/trigger' })
    expect(diagnostics(label)).toEqual(['logic::invalid_phase', 'logic::handler_failed'])
  })

  it('IO at setup top level is reported as logic::setup_unsafe_effect: a fetch, or an async setup', async () => {
    quietConsole()
    const label = uniqueLabel('unsafe')
    const fetch = vi.fn(async () => new Response('{}'))
    vi.stubGlobal('fetch', fetch)
    const fetching = defineLogic('fetching', () => {
      void globalThis.fetch('/api/me')
    })
    const later = vi.fn()
    const asyncSetup = defineLogic('async-setup', async ($) => {
      await Promise.resolve()
      later()
      $.onAction(jobs, 'trigger', () => {})
    })
    createRuntime({ stores: [jobs], logic: [fetching, asyncSetup], devtools: { label } })
    expect(fetch).toHaveBeenCalledWith('/api/me')
    expect(globalThis.fetch).toBe(fetch)
    await settle()
    expect(later).toHaveBeenCalled()
    // The registration after the await came too late: refused and reported, not silently dropped.
    expect(diagnostics(label)).toEqual([
      'logic::setup_unsafe_effect',
      'logic::setup_unsafe_effect',
      'logic::invalid_phase',
      'logic::handler_failed',
    ])
    expect(eventsOf(label, 'diagnostic')[0]?.data).toMatchObject({ data: { logic: 'fetching' } })
    vi.unstubAllGlobals()
  })

  it('a second setup in one runtime (listed twice, or redefined as a hot reload does) is diagnosed and registers once', async () => {
    quietConsole()
    const label = uniqueLabel('duplicate')
    const runs = vi.fn()
    const build = vi.fn(($) => {
      $.onAction(jobs, 'trigger', runs)
    })
    const logic = defineLogic('twice', build)
    const reloaded = defineLogic('twice', build)
    const runtime = createRuntime({ stores: [jobs], logic: [logic, logic, reloaded], devtools: { label } })
    await settle()
    runtime.store(jobs).actions.trigger(0)
    expect(build).toHaveBeenCalledTimes(1)
    expect(runs).toHaveBeenCalledTimes(1)
    expect(diagnostics(label)).toEqual(['logic::duplicate_setup', 'logic::duplicate_setup'])
    expect(inspectLogic(runtime).logic).toHaveLength(1)
    // Disposed once, however often it was listed.
    runtime.dispose()
    expect(inspectLogic(runtime).logic[0]?.phase).toBe('disposed')
  })

  it('one definition serves several runtimes; disposing one leaves the others running', async () => {
    const seen: string[] = []
    const logic = defineLogic('shared', ($) => {
      $.onAction(jobs, 'edit', ({ payload }) => {
        seen.push(payload)
      })
    })
    const a = createRuntime({ stores: [jobs], logic: [logic] })
    const b = createRuntime({ stores: [jobs], logic: [logic] })
    await settle()
    a.store(jobs).actions.edit('a1')
    b.store(jobs).actions.edit('b1')
    a.dispose()
    a.store(jobs).actions.edit('a2')
    b.store(jobs).actions.edit('b2')
    expect(seen).toEqual(['a1', 'b1', 'b2'])
  })
})

describe('watchers', () => {
  it('onAction hears the action after its commit, with its payload; a predicate picks several', async () => {
    const seen: unknown[] = []
    const logic = defineLogic('hear', ($) => {
      $.onAction(jobs, 'edit', ({ action, payload, store }) => {
        seen.push([action, payload, store(jobs).read((s) => s.draft)])
      })
      $.onAction(
        jobs,
        (event) => event.action !== 'edit',
        ({ action, payload }) => {
          seen.push([action, payload])
        },
      )
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await settle()
    runtime.store(jobs).actions.edit('hello')
    runtime.store(jobs).actions.save('hello')
    expect(seen).toEqual([
      ['edit', 'hello', 'hello'],
      ['save', 'hello'],
    ])
  })

  it('onAction refuses an action the store does not have, naming the store and its actions', () => {
    const logic = defineLogic('typo', ($) => {
      // @ts-expect-error not an action of jobs
      $.onAction(jobs, 'edits', () => {})
    })
    expect(() => createRuntime({ stores: [jobs], logic: [logic] })).toThrow(
      "logic 'typo': $.onAction(jobs): store 'jobs' has no action 'edits' (actions: trigger, edit, save)",
    )
    const notes = defineCollection<Note>('notes', { key: 'id' })
    const collection = defineLogic('collection', ($) => {
      // @ts-expect-error collections have no actions
      $.onAction(notes, 'create', () => {})
    })
    expect(() => createRuntime({ stores: [notes], plugins: [memoryBackend()], logic: [collection] })).toThrow(
      "logic 'collection': $.onAction(notes): actions belong to stores (defineStore); watch a collection with $.onState",
    )
  })

  it('onState runs when the selected slice changes (isEqual decides), with value and previous', async () => {
    const seen: unknown[] = []
    const logic = defineLogic('state', ($) => {
      $.onState(
        jobs,
        (s) => s.draft.trim(),
        ({ value, previous }) => {
          seen.push([previous, value])
        },
      )
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await settle()
    const { edit, trigger } = runtime.store(jobs).actions
    edit('a')
    edit(' a ')
    trigger(1)
    edit('ab')
    expect(seen).toEqual([
      ['', 'a'],
      ['a', 'ab'],
    ])
  })

  it('$.on takes any source; a reader’s changes() is one', async () => {
    const seen: unknown[] = []
    let emit: (n: number) => void = () => {}
    const unsubscribe = vi.fn()
    const logic = defineLogic('sources', ($) => {
      $.on(
        (next: (n: number) => void) => {
          emit = next
          return unsubscribe
        },
        ({ value }) => {
          seen.push(value)
        },
      )
      $.on(
        $.use(jobs).changes((s) => s.count),
        ({ value }) => {
          seen.push(`count ${value}`)
        },
      )
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await settle()
    emit(7)
    runtime.store(jobs).actions.trigger(0)
    runtime.store(jobs).actions.edit('x')
    expect(seen).toEqual([7, 'count 1'])
    runtime.dispose()
    expect(unsubscribe).toHaveBeenCalledTimes(1)
  })

  it('a failing handler is reported (diagnostic and onError) and stops neither its watcher nor the others', async () => {
    quietConsole()
    const label = uniqueLabel('errors')
    const onError = vi.fn()
    const after = vi.fn()
    let calls = 0
    const logic = defineLogic(
      'flaky',
      ($) => {
        $.onAction(jobs, 'trigger', () => {
          calls++
          if (calls === 1) throw new Error('first time')
        })
        $.onAction(jobs, 'trigger', async () => {
          await Promise.resolve()
          throw new Error('always (async)')
        })
        $.onAction(jobs, 'trigger', after)
      },
      { onError },
    )
    const runtime = createRuntime({ stores: [jobs], logic: [logic], devtools: { label } })
    await settle()
    runtime.store(jobs).actions.trigger(0)
    runtime.store(jobs).actions.trigger(0)
    await settle()
    expect(calls).toBe(2)
    expect(after).toHaveBeenCalledTimes(2)
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual([
      'first time',
      'always (async)',
      'always (async)',
    ])
    expect(diagnostics(label)).toEqual(Array(3).fill('logic::handler_failed'))
    const [first, second] = inspectLogic(runtime).logic[0]?.watchers ?? []
    expect(first).toMatchObject({ started: 2, failed: 1, finished: 1, lastError: 'first time' })
    expect(second).toMatchObject({ started: 2, failed: 2 })
  })

  it('without onError a failure goes to the console with its error (never swallowed)', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const boom = new Error('boom')
    const logic = defineLogic('loud', ($) => {
      $.onAction(jobs, 'trigger', () => {
        throw boom
      })
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await settle()
    expect(() => runtime.store(jobs).actions.trigger(0)).not.toThrow()
    expect(error).toHaveBeenCalledWith("[atoma] logic 'loud': onAction jobs/trigger failed:", boom)
  })

  it('every run is an EffectOp of kind flow through the middleware stack, linked to the commit that triggered it', async () => {
    const ops: EffectOp[] = []
    const spy: Middleware = (op, next) => {
      ops.push(op)
      return next(op)
    }
    const logic = defineLogic('traced', ($) => {
      $.onAction(jobs, 'edit', ({ payload, dispatch }) => {
        dispatch(jobs, 'save', payload)
      })
      $.lifecycle.onInit(() => {})
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic], middleware: [spy] })
    await settle()
    const record = runtime.store(jobs).actions.edit('x')
    const flow = ops.find((op) => op.kind === 'flow')
    expect(flow).toMatchObject({
      name: 'traced/onAction jobs/edit',
      payload: 'x',
      meta: { store: 'jobs', txnId: record.txnId },
    })
    expect(ops.map((op) => op.kind)).toEqual(['lifecycle', 'action', 'state', 'flow', 'action', 'state'])
  })

  it('a middleware can wrap runs: a timeout aborts nothing by itself but sees every run settle', async () => {
    vi.useFakeTimers()
    const settled: string[] = []
    const watch: Middleware = (op, next) => {
      const result = next(op)
      if (op.kind === 'flow') Promise.resolve(result).then(() => settled.push(op.name))
      return result
    }
    const logic = defineLogic('wrapped', ($) => {
      $.onAction(jobs, 'trigger', ({ payload, signal }) => sleep(payload, signal), { name: 'work' })
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic], middleware: [watch] })
    await vi.advanceTimersByTimeAsync(0)
    runtime.store(jobs).actions.trigger(20)
    await vi.advanceTimersByTimeAsync(20)
    expect(settled).toEqual(['wrapped/work'])
  })
})

describe('$.use and the handler context', () => {
  it('$.use fails at once, clearly, for a store or a logic that is not part of the runtime', () => {
    const missingStore = defineLogic('a', ($) => {
      $.use(other)
    })
    expect(() => createRuntime({ stores: [jobs], logic: [missingStore] })).toThrow(
      "logic 'a': use(other): store 'other' is not part of this runtime (stores: jobs)",
    )
    const b = defineLogic('b', () => {})
    const missingLogic = defineLogic('c', ($) => {
      $.use(b)
    })
    expect(() => createRuntime({ stores: [jobs], logic: [missingLogic] })).toThrow(
      "logic 'c': $.use(logic 'b'): it is not part of this runtime, or is listed after 'c'",
    )
    // Listed before the one that uses it, it is found.
    expect(() => createRuntime({ stores: [jobs], logic: [b, missingLogic] })).not.toThrow()
  })

  it('$.use(logic) reads another logic’s status and its changes', async () => {
    vi.useFakeTimers()
    const saver = defineLogic('saver', ($) => {
      $.onAction(jobs, 'edit', ({ signal }) => sleep(100, signal), { mode: 'latest' })
    })
    const running: number[] = []
    const indicator = defineLogic('indicator', ($) => {
      const status = $.use(saver)
      $.on(
        status.changes((s) => s.watchers[0]?.running ?? 0),
        ({ value }) => {
          running.push(value)
        },
      )
    })
    const runtime = createRuntime({ stores: [jobs], logic: [saver, indicator] })
    await vi.advanceTimersByTimeAsync(0)
    runtime.store(jobs).actions.edit('a')
    await vi.advanceTimersByTimeAsync(100)
    expect(running).toEqual([1, 0])
  })

  it('ctx.query reads through the kernel with the run’s signal (a superseded run’s read is aborted); ctx.write is optimistic', async () => {
    const notes = defineCollection<Note>('notes', { key: 'id' })
    const signals: AbortSignal[] = []
    const hanging: AtomaPlugin = {
      name: 'hanging',
      setup(ctx) {
        ctx.execution.registerNode({
          id: 'hanging',
          source: 'local',
          query: ({ signal }) => {
            signals.push(signal)
            return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
          },
          write: async ({ entries }) => ({
            status: 'confirmed',
            items: entries.map((e) => ({ entryId: e.entryId, status: 'confirmed' as const, value: e.value })),
          }),
        })
      },
    }
    const logic = defineLogic('notes', ($) => {
      $.onAction(
        jobs,
        'save',
        async ({ payload, write, query }) => {
          write(notes).create({ id: payload, text: payload })
          await query(notes, { where: { id: payload } })
        },
        { mode: 'latest' },
      )
    })
    const runtime = createRuntime({ stores: [jobs, notes], plugins: [hanging], logic: [logic] })
    await settle()
    runtime.store(jobs).actions.save('n1')
    expect(runtime.store(notes).get('n1')).toEqual({ id: 'n1', text: 'n1' })
    await vi.waitFor(() => expect(signals).toHaveLength(1))
    runtime.store(jobs).actions.save('n2')
    expect(signals[0]?.aborted).toBe(true)
    await vi.waitFor(() => expect(inspectLogic(runtime).logic[0]?.watchers[0]).toMatchObject({ aborted: 1 }))
    runtime.dispose()
  })
})

describe('lifecycle', () => {
  it('onInit runs after the watchers subscribed (its dispatches are heard); onDestroy after every run was aborted', async () => {
    vi.useFakeTimers()
    const order: string[] = []
    const logic = defineLogic('life', ($) => {
      $.onAction(jobs, 'trigger', async ({ signal }) => {
        order.push('run')
        await sleep(1000, signal).catch((error) => {
          order.push(`aborted: ${signal.aborted}`)
          throw error
        })
      })
      $.lifecycle.onInit(({ dispatch }) => {
        order.push('init')
        dispatch(jobs, 'trigger', 0)
      })
      $.lifecycle.onDestroy(() => {
        order.push('destroy')
      })
    })
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await vi.advanceTimersByTimeAsync(0)
    runtime.dispose()
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['init', 'run', 'destroy', 'aborted: true'])
  })

  it('an onInit in flight is aborted by dispose; its errors are reported', async () => {
    quietConsole()
    const onError = vi.fn()
    let initSignal: AbortSignal | undefined
    const logic = defineLogic(
      'init',
      ($) => {
        $.lifecycle.onInit(async ({ signal }) => {
          initSignal = signal
          await sleep(10_000, signal)
        })
        $.lifecycle.onDestroy(() => {
          throw new Error('cleanup failed')
        })
      },
      { onError },
    )
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    await settle()
    runtime.dispose()
    await settle()
    expect(initSignal?.aborted).toBe(true)
    expect(onError.mock.calls.map(([e, info]) => [(e as Error).message, info.where])).toEqual([
      ['cleanup failed', 'onDestroy'],
    ])
  })
})
