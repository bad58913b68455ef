import { type AtomaPlugin, createRuntime, defineStore, type PluginRuntime } from '@atoma/runtime'
import { describe, expect, it, vi } from 'vitest'

const counter = defineStore('counter', {
  initial: { n: 0 },
  actions: {
    add: (draft, by: number) => {
      draft.n += by
    },
    fail: () => {
      throw new Error('no')
    },
  },
})

/** A plugin that keeps the PluginRuntime its start gets. */
function spy(): { plugin: AtomaPlugin; host: () => PluginRuntime } {
  let host: PluginRuntime | undefined
  const plugin: AtomaPlugin = {
    name: 'spy',
    setup() {},
    start(runtime) {
      host = runtime
    },
  }
  return {
    plugin,
    host: () => {
      if (!host) throw new Error('not started')
      return host
    },
  }
}

describe('PluginRuntime (what logic needs from the runtime)', () => {
  it('onAction reports each committed action with its payload and record, without making the store compute patches', () => {
    const { plugin, host } = spy()
    const runtime = createRuntime({ stores: [counter], plugins: [plugin], instrumentation: 'light' })
    const listener = vi.fn()
    const stop = host().onAction('counter', listener)
    const record = runtime.store(counter).actions.add(2)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener).toHaveBeenCalledWith('add', 2, record)
    expect(record.patches).toEqual([])
    // A recipe that throws commits nothing, so nothing is reported.
    expect(() => runtime.store(counter).actions.fail()).toThrow()
    expect(listener).toHaveBeenCalledTimes(1)
    stop()
    runtime.store(counter).actions.add(1)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(() => host().onAction('nope', listener)).toThrow(/'nope' is not part of this runtime/)
  })

  it('a throwing action listener never fails the dispatch', () => {
    const { plugin, host } = spy()
    const runtime = createRuntime({ stores: [counter], plugins: [plugin] })
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    host().onAction('counter', () => {
      throw new Error('listener bug')
    })
    expect(() => runtime.store(counter).actions.add(1)).not.toThrow()
    expect(runtime.store(counter).getState().n).toBe(1)
    expect(error).toHaveBeenCalledTimes(1)
    error.mockRestore()
  })

  it('dispose gets the PluginRuntime its start got, so one plugin in two runtimes tells them apart', () => {
    const started: PluginRuntime[] = []
    const disposed: PluginRuntime[] = []
    const plugin: AtomaPlugin = {
      name: 'shared',
      setup() {},
      start(runtime) {
        started.push(runtime)
      },
      dispose(runtime) {
        disposed.push(runtime)
      },
    }
    const a = createRuntime({ stores: [counter], plugins: [plugin] })
    createRuntime({ stores: [counter], plugins: [plugin] })
    a.dispose()
    expect(disposed).toEqual([started[0]])
    expect(disposed[0]?.runtime).toBe(a)
  })
})
