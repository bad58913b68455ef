// The page bench/src/benchmarks/devtoolsPanel.ts measures in Chromium: a runtime with devtools on,
// one collection of `entities` entities, `events` hub events of single-entity commits, a
// QueryClient with `queries` cached queries attached as RuntimeProvider attaches it, and the
// panel (closed) on top. The benchmark drives it through `window.atomaBench`.
import { createRuntime, defineCollection, getDevtoolsSnapshot, memoryBackend } from '@atoma/runtime'
import { QueryClient } from '@tanstack/query-core'
import { createRoot } from 'react-dom/client'
import { DevtoolsPanel } from '../src/DevtoolsPanel.js'

interface Row {
  id: number
  label: string
  count: number
  tags: string[]
}

export interface BenchSetup {
  entities: number
  events: number
  queries: number
}

/** Milliseconds from an interaction to the frame after the panel has rendered its result. */
export interface BenchApi {
  setup(options: BenchSetup): Promise<void>
  openPanel(): Promise<number>
  selectLastTransaction(): Promise<number>
  openState(): Promise<number>
  /** Time travel view of the collection, then one step back: a jump, committed and shown. */
  sliderStep(): Promise<number>
  openQueries(): Promise<number>
}

const rows = defineCollection<Row>('rows', { key: 'id' })

function shadow(): ShadowRoot {
  const root = document.querySelector('[data-atoma-devtools]')?.shadowRoot
  if (!root) throw new Error('the panel is not mounted')
  return root
}

/** Resolves on the frame after `ready()` holds: what was rendered has been laid out and painted. */
async function timeUntil(act: () => void, ready: () => boolean): Promise<number> {
  const started = performance.now()
  act()
  while (!ready()) {
    if (performance.now() - started > 30_000) throw new Error('the panel did not render in 30 s')
    await new Promise((done) => requestAnimationFrame(done))
  }
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))
  return performance.now() - started
}

const api: BenchApi = {
  async setup({ entities, events, queries }) {
    const runtime = createRuntime({
      stores: [rows],
      plugins: [memoryBackend()],
      devtools: { label: 'bench', bufferSize: Math.max(500, events) },
      // Full in both builds: a production build defaults to light, which keeps no history to show.
      instrumentation: 'full',
    })
    runtime.transact(
      rows,
      (draft) => {
        for (let id = 0; id < entities; id++)
          draft.set(id, { id, label: `row ${id}`, count: 0, tags: ['a', 'b'] })
      },
      { kind: 'hydrate' },
    )
    // Each commit adds a state op event and a state:update: fill the hub's buffer with them.
    for (let round = 0; getDevtoolsSnapshot().events.length < events; round++) {
      const id = (round * 7919) % entities
      runtime.transact(
        rows,
        (draft) => {
          const row = draft.get(id)
          if (row) row.count += 1
        },
        { kind: 'action', name: 'bump' },
      )
    }
    const client = new QueryClient()
    runtime.debug?.attachQueryClient(client)
    for (let index = 0; index < queries; index++)
      await client.fetchQuery({
        queryKey: ['atoma', 'rows', JSON.stringify({ where: { count: index } })],
        queryFn: () => ({ items: [{ id: index }], meta: { source: 'local', route: [] }, txnId: 0 }),
      })
    const container = document.createElement('div')
    document.body.append(container)
    createRoot(container).render(
      <DevtoolsPanel initialTab="transactions" initialSize={480} storageKey={null} />,
    )
    // React renders, then the panel creates its host and its own root: wait for the toggle.
    while (!document.querySelector('[data-atoma-devtools]')?.shadowRoot?.querySelector('.atoma-toggle'))
      await new Promise((done) => requestAnimationFrame(done))
  },
  openPanel: () =>
    timeUntil(
      () => shadow().querySelector<HTMLButtonElement>('.atoma-toggle')?.click(),
      () => shadow().querySelector('[role="listbox"] [role="option"]') !== null,
    ),
  selectLastTransaction: () =>
    timeUntil(
      () => {
        const list = shadow().querySelector<HTMLElement>('[role="listbox"]')
        list?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }))
      },
      () =>
        shadow().querySelector('[aria-label="Changes (before → after)"] [aria-label^="Diff of"]') !== null,
    ),
  openState: () =>
    timeUntil(
      () => {
        const tabs = [...shadow().querySelectorAll<HTMLButtonElement>('[role="tab"]')]
        tabs.find((tab) => tab.textContent === 'State')?.click()
      },
      () => shadow().querySelectorAll('[role="tree"] [role="treeitem"]').length > 10,
    ),
  async sliderStep() {
    const tabs = [...shadow().querySelectorAll<HTMLButtonElement>('[role="tab"]')]
    tabs.find((tab) => tab.textContent === 'Time travel')?.click()
    const slider = () => shadow().querySelector<HTMLInputElement>('input[aria-label="History position"]')
    while (!slider()) await new Promise((done) => requestAnimationFrame(done))
    const from = Number(slider()?.value)
    const back = [...shadow().querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => b.textContent === '◀ Step back',
    )
    return timeUntil(
      () => back?.click(),
      () =>
        slider()?.value === String(from - 1) &&
        shadow().querySelector('[role="status"]')?.textContent?.startsWith('Paused') === true,
    )
  },
  openQueries: () =>
    timeUntil(
      () => {
        const tabs = [...shadow().querySelectorAll<HTMLButtonElement>('[role="tab"]')]
        tabs.find((tab) => tab.textContent === 'Queries')?.click()
      },
      () => shadow().querySelector('[role="listbox"][aria-label="Queries"] [role="option"]') !== null,
    ),
}

;(window as Window & { atomaBench?: BenchApi }).atomaBench = api
