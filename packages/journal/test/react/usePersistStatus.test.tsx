// @vitest-environment jsdom

import { memoryStorage } from '@atoma/journal/memory'
import { persist } from '@atoma/journal/persist'
import { usePersistStatus } from '@atoma/journal/react'
import { webStorage } from '@atoma/journal/web-storage'
import { RuntimeProvider, useStore } from '@atoma/react'
import { createRuntime, defineStore, type Runtime } from '@atoma/runtime'
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { asAsync } from '../support.js'

const settings = defineStore('settings', {
  initial: { theme: 'light', fontSize: 14 },
  actions: {
    setTheme: (draft, theme: string) => {
      draft.theme = theme
    },
    grow: (draft) => {
      draft.fontSize += 1
    },
  },
})

/** What the components rendered, in order: `status:theme`. */
const rendered: string[] = []
function Theme() {
  const theme = useStore(settings, (s) => s.theme)
  const { status } = usePersistStatus(settings)
  rendered.push(`${status}:${theme}`)
  return <p>theme {theme}</p>
}
function Status() {
  const { status } = usePersistStatus(settings)
  rendered.push(status)
  return <p>status {status}</p>
}

const runtimes: Runtime[] = []
afterEach(() => {
  cleanup()
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  localStorage.clear()
  rendered.length = 0
})

function create(storage: Parameters<typeof persist>[0]['storage']) {
  const runtime = createRuntime({
    stores: [settings],
    plugins: [persist({ stores: [settings], storage, name: 'app' })],
  })
  runtimes.push(runtime)
  return runtime
}

describe('persist in React', () => {
  it('hydrates from localStorage before the first render: no flash of the initial state', async () => {
    const before = create(webStorage())
    before.store(settings).actions.setTheme('dark')
    await before.persist.flush()
    before.dispose()

    // What an app does at startup: create the runtime, then render.
    const runtime = create(webStorage())
    render(
      <StrictMode>
        <RuntimeProvider runtime={runtime}>
          <Theme />
        </RuntimeProvider>
      </StrictMode>,
    )
    expect(screen.getByText('theme dark')).toBeDefined()
    expect(rendered.length).toBeGreaterThan(0)
    expect(new Set(rendered)).toEqual(new Set(['hydrated:dark']))
  })

  it('usePersistStatus says hydrating, then hydrated, for an asynchronous driver — and ignores writes', async () => {
    const memory = memoryStorage()
    const before = create(asAsync(memory))
    await before.ready()
    before.store(settings).actions.setTheme('dark')
    await before.persist.flush()
    before.dispose()

    const runtime = create(asAsync(memory))
    render(
      <StrictMode>
        <RuntimeProvider runtime={runtime}>
          <Status />
          <Theme />
        </RuntimeProvider>
      </StrictMode>,
    )
    expect(screen.getByText('status hydrating')).toBeDefined()
    expect(screen.getByText('theme light')).toBeDefined()
    await act(() => runtime.ready())
    expect(screen.getByText('status hydrated')).toBeDefined()
    expect(screen.getByText('theme dark')).toBeDefined()
    const statusRenders = () => rendered.filter((r) => !r.includes(':')).length
    const renders = statusRenders()
    await act(async () => {
      runtime.store(settings).actions.grow()
      await runtime.persist.flush()
    })
    expect(statusRenders()).toBe(renders) // a write changes the stats, not the status
  })

  it('needs a runtime with persist', () => {
    const bare = createRuntime({ stores: [settings] })
    runtimes.push(bare)
    const errors = console.error
    console.error = () => undefined
    try {
      expect(() =>
        render(
          <RuntimeProvider runtime={bare}>
            <Status />
          </RuntimeProvider>,
        ),
      ).toThrow('usePersistStatus: the runtime of this <RuntimeProvider> has no persist plugin')
    } finally {
      console.error = errors
    }
  })
})
