import { RuntimeProvider, useStore } from '@atoma/react'
import { createRuntime, defineStore, type Runtime } from '@atoma/runtime'
import { act } from '@testing-library/react'
import { Profiler, type ReactNode, StrictMode, startTransition } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import { sleep } from './helpers.js'

const counter = defineStore('counter', {
  initial: { version: 0 },
  actions: {
    bump: (draft) => {
      draft.version += 1
    },
  },
})

const COMPONENTS = 30

/** What every component rendered, in render order, and what the DOM showed at each commit. */
function harness(runtime: Runtime, slowMs: number, duringRender?: (index: number) => void) {
  const rendered: number[] = []
  const committed: string[][] = []
  const container = document.createElement('div')
  function Reader({ index }: { index: number }) {
    const version = useStore(counter, (s) => s.version)
    rendered.push(version)
    duringRender?.(index)
    const until = performance.now() + slowMs
    while (performance.now() < until) {
      // A slow component, so a concurrent render spans several scheduler slices.
    }
    return <span className="reader">{version}</span>
  }
  const tree = (count: number): ReactNode => (
    <StrictMode>
      <RuntimeProvider runtime={runtime}>
        <Profiler
          id="readers"
          onRender={() => {
            committed.push([...container.querySelectorAll('.reader')].map((node) => node.textContent ?? ''))
          }}
        >
          {Array.from({ length: count }, (_, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the readers are identical and never reorder.
            <Reader key={index} index={index} />
          ))}
        </Profiler>
      </RuntimeProvider>
    </StrictMode>
  )
  const shown = () => [...container.querySelectorAll('.reader')].map((node) => node.textContent ?? '')
  return { rendered, committed, container, tree, shown }
}

describe('no tearing under concurrent rendering', () => {
  const actEnvironment = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT
  afterEach(() => {
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = actEnvironment
  })

  it('a store updated by a sibling while a transition renders: every commit shows one version', () => {
    const runtime = createRuntime({ stores: [counter] })
    let bumped = false
    const { rendered, committed, container, tree, shown } = harness(runtime, 0, (index) => {
      // Halfway through the transition's render pass, once (StrictMode renders each component twice).
      if (index === COMPONENTS / 2 && !bumped) {
        bumped = true
        runtime.store(counter).actions.bump()
      }
    })
    const root = createRoot(container)
    act(() => {
      startTransition(() => {
        root.render(tree(COMPONENTS))
      })
    })
    // The render pass really saw two versions: the first half 0, the rest 1...
    expect(rendered.slice(0, COMPONENTS)).toContain(0)
    expect(rendered.slice(0, 2 * COMPONENTS)).toContain(1)
    // ...yet what was committed is one version everywhere.
    expect(committed.length).toBeGreaterThan(0)
    for (const texts of committed) expect(new Set(texts).size).toBe(1)
    expect(shown()).toEqual(Array(COMPONENTS).fill('1'))
    act(() => root.unmount())
  })

  it('a slow tree rendered in a transition while commits arrive between its slices', async () => {
    // The real scheduler, not act's synchronous queue: the render must yield for timers to run.
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false
    const runtime = createRuntime({ stores: [counter] })
    const { rendered, committed, container, tree, shown } = harness(runtime, 1)
    const root = createRoot(container)
    startTransition(() => {
      root.render(tree(COMPONENTS))
    })
    let bumps = 0
    const timer = setInterval(() => {
      if (bumps++ < 5) runtime.store(counter).actions.bump()
    }, 3)
    try {
      for (let i = 0; i < 200 && (bumps < 5 || shown().length < COMPONENTS); i++) await sleep(5)
      await sleep(20)
    } finally {
      clearInterval(timer)
    }
    const final = String(runtime.store(counter).getState().version)
    expect(final).toBe('5')
    // Commits landed while components were rendering: they saw several versions...
    expect(new Set(rendered).size).toBeGreaterThan(1)
    // ...and no commit ever showed two of them side by side.
    for (const texts of committed) expect(new Set(texts).size).toBeLessThanOrEqual(1)
    expect(shown()).toEqual(Array(COMPONENTS).fill(final))
    root.unmount()
  })
})
