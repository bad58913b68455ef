// @vitest-environment jsdom
import { defineLogic, inspectLogic } from '@atoma/logic'
import { RuntimeProvider, useActions, useRuntime } from '@atoma/react'
import type { Runtime, RuntimeOptions } from '@atoma/runtime'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { jobs, settle, sleep } from '../helpers.js'

afterEach(() => {
  cleanup()
})

/** Logic with a `latest` watcher whose runs last until aborted, and a record of what it did. */
function autosave() {
  const record = { setups: 0, inits: 0, runs: [] as string[], aborted: [] as string[], destroyed: 0 }
  const logic = defineLogic('autosave', ($) => {
    record.setups++
    $.onAction(
      jobs,
      'edit',
      async ({ payload, signal }) => {
        record.runs.push(payload)
        try {
          await sleep(60_000, signal)
        } catch (error) {
          record.aborted.push(payload)
          throw error
        }
      },
      { mode: 'latest' },
    )
    $.lifecycle.onInit(() => {
      record.inits++
    })
    $.lifecycle.onDestroy(() => {
      record.destroyed++
    })
  })
  return { logic, record }
}

let seen: Runtime | undefined
function Editor() {
  seen = useRuntime()
  const { edit } = useActions(jobs)
  return (
    <button type="button" onClick={() => edit('draft')}>
      edit
    </button>
  )
}

describe('logic under React', () => {
  it('StrictMode renders and mounts twice, the logic is set up and initialised once, and each action runs once', async () => {
    const { logic, record } = autosave()
    const options: RuntimeOptions = { stores: [jobs], logic: [logic] }
    render(
      <StrictMode>
        <RuntimeProvider options={options}>
          <Editor />
        </RuntimeProvider>
      </StrictMode>,
    )
    await act(settle)
    expect(record).toMatchObject({ setups: 1, inits: 1 })
    fireEvent.click(screen.getByText('edit'))
    expect(record.runs).toEqual(['draft'])
    expect(inspectLogic(seen as Runtime).logic).toHaveLength(1)
  })

  it('unmounting the provider that created the runtime disposes it: running handlers are aborted, onDestroy runs', async () => {
    const { logic, record } = autosave()
    const { unmount } = render(
      <StrictMode>
        <RuntimeProvider options={{ stores: [jobs], logic: [logic] }}>
          <Editor />
        </RuntimeProvider>
      </StrictMode>,
    )
    await act(settle)
    fireEvent.click(screen.getByText('edit'))
    expect(record.aborted).toEqual([])
    unmount()
    await settle()
    expect(record.aborted).toEqual(['draft'])
    expect(record.destroyed).toBe(1)
    expect(inspectLogic(seen as Runtime).logic[0]).toMatchObject({ phase: 'disposed' })
    expect(inspectLogic(seen as Runtime).logic[0]?.watchers[0]).toMatchObject({
      started: 1,
      aborted: 1,
      running: 0,
    })
  })

  it('a provider given a runtime leaves it to the app: unmounting disposes nothing', async () => {
    vi.useFakeTimers()
    const { logic, record } = autosave()
    const { createRuntime } = await import('@atoma/runtime')
    const runtime = createRuntime({ stores: [jobs], logic: [logic] })
    const { unmount } = render(
      <RuntimeProvider runtime={runtime}>
        <Editor />
      </RuntimeProvider>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    fireEvent.click(screen.getByText('edit'))
    unmount()
    await vi.advanceTimersByTimeAsync(0)
    expect(record.aborted).toEqual([])
    runtime.dispose()
    await vi.advanceTimersByTimeAsync(0)
    expect(record.aborted).toEqual(['draft'])
    vi.useRealTimers()
  })
})
