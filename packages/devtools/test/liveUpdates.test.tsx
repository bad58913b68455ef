import * as atoma from '@atoma/runtime'
import { act, fireEvent, render, within } from '@testing-library/react'
import { Profiler } from 'react'
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest'
import { PanelApp } from '../src/panel/PanelApp.js'
import { renderPanel, testRuntime, ui } from './helpers.js'

// Spies on the hub API the panel imports; every call goes through to the real hub.
vi.mock('@atoma/runtime', async (importOriginal) => {
  const runtime = await importOriginal<typeof import('@atoma/runtime')>()
  return {
    ...runtime,
    subscribeDevtoolsSnapshot: vi.fn(runtime.subscribeDevtoolsSnapshot),
    getDevtoolsSnapshot: vi.fn(runtime.getDevtoolsSnapshot),
  }
})

const subscribe = vi.mocked(atoma.subscribeDevtoolsSnapshot)
const read = vi.mocked(atoma.getDevtoolsSnapshot)
const realSubscribe = subscribe.getMockImplementation() as typeof atoma.subscribeDevtoolsSnapshot
let unsubscribes: Mock<() => void>[] = []

/** Animation frames run only when the test says so. */
let frames: Map<number, FrameRequestCallback>
let nextFrameId = 0
const runFrames = () =>
  act(() => {
    const pending = [...frames.values()]
    frames.clear()
    for (const frame of pending) frame(performance.now())
  })

beforeEach(() => {
  unsubscribes = []
  subscribe.mockImplementation((listener) => {
    const unsubscribe = vi.fn(realSubscribe(listener))
    unsubscribes.push(unsubscribe)
    return unsubscribe
  })
  frames = new Map()
  vi.stubGlobal('requestAnimationFrame', (frame: FrameRequestCallback) => {
    nextFrameId += 1
    frames.set(nextFrameId, frame)
    return nextFrameId
  })
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id))
})
afterEach(() => {
  vi.unstubAllGlobals()
  subscribe.mockReset()
  subscribe.mockImplementation(realSubscribe)
  read.mockClear()
})

describe('hub subscription', () => {
  it('does not subscribe to the hub, nor read it, while the panel is closed', async () => {
    const runtime = testRuntime()
    const { panel } = await renderPanel()
    for (let i = 0; i < 50; i++) runtime.store(ui).actions.inc()
    await act(async () => {})
    expect(subscribe).not.toHaveBeenCalled()
    expect(read).not.toHaveBeenCalled()
    expect(frames.size).toBe(0)

    const toggle = panel.getByRole('button', { name: 'Atoma devtools' })
    await act(async () => fireEvent.click(toggle))
    expect(subscribe).toHaveBeenCalledTimes(1)
    expect(unsubscribes[0]).not.toHaveBeenCalled()

    // Open, the toggle is the panel's title in its header.
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Atoma devtools' })))
    expect(unsubscribes[0]).toHaveBeenCalledTimes(1)
    frames.clear()
    read.mockClear()
    for (let i = 0; i < 50; i++) runtime.store(ui).actions.inc()
    await act(async () => {})
    expect(read).not.toHaveBeenCalled()
    expect(frames.size).toBe(0)
    expect(subscribe).toHaveBeenCalledTimes(1)
  })

  it('does not subscribe while it shows an imported recording', async () => {
    testRuntime().store(ui).actions.inc()
    const recording = (await import('../src/recording/exportRecording.js')).exportRecording()
    await renderPanel({ initialOpen: true, recording })
    expect(subscribe).not.toHaveBeenCalled()
  })
})

describe('coalescing', () => {
  it('renders at most once per animation frame however many events arrive', async () => {
    const runtime = testRuntime()
    let commits = 0
    const { container } = render(
      <Profiler id="panel" onRender={() => (commits += 1)}>
        <PanelApp
          initialOpen
          position="bottom"
          initialTab="timeline"
          initialSize={undefined}
          recording={undefined}
          nonce={undefined}
          storageKey={null}
          reserveSpace={false}
        />
      </Profiler>,
    )
    await act(async () => {})
    await runFrames()
    const panel = within(container)
    const counter = () => panel.getByText(/ of \d+ events$/).textContent
    expect(counter()).toBe('0 of 0 events')

    const settled = commits
    // One action = 3 events: the action op, the state op and the state:update.
    await act(async () => {
      for (let i = 0; i < 100; i++) runtime.store(ui).actions.inc()
    })
    expect(commits).toBe(settled)
    expect(frames.size).toBe(1)
    expect(counter()).toBe('0 of 0 events')

    await runFrames()
    expect(commits).toBe(settled + 1)
    expect(counter()).toBe('300 of 300 events')

    await act(async () => {
      for (let i = 0; i < 10; i++) runtime.store(ui).actions.inc()
    })
    expect(frames.size).toBe(1)
    await runFrames()
    expect(commits).toBe(settled + 2)
    expect(counter()).toBe('330 of 330 events')
    await runFrames()
    expect(commits).toBe(settled + 2)
  })
})
