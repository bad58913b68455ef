import { computed, defineLogic, link, type Mode, type SourceState, source, sourceIdle } from '@atoma/logic'
import { RuntimeProvider, useStore } from '@atoma/react'
import { createRuntime, defineStore, type Runtime } from '@atoma/runtime'
import { act, fireEvent, render, within } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DevtoolsPanel, type DevtoolsPanelProps } from '../src/DevtoolsPanel.js'
import { exportRecording } from '../src/recording/exportRecording.js'
import { nextFrame, option } from './helpers.js'

// The Logic view over a real runtime running real @atoma/logic. Runs wait on fake timeouts; the
// panel's frames (requestAnimationFrame) stay real, so it renders as it does in a page.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
const runtimes: Runtime[] = []
afterEach(() => {
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  vi.useRealTimers()
})

const jobs = defineStore('jobs', {
  initial: { count: 0, draft: '', saved: '' },
  actions: {
    trigger: (draft, _ms: number) => {
      draft.count += 1
    },
    edit: (draft, text: string) => {
      draft.draft = text
    },
    save: (draft, text: string) => {
      draft.saved = text
    },
  },
})

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

const MODES: readonly Mode[] = ['parallel', 'latest', 'exhaust', 'sequence']

/** One watcher per mode on the same action: each run takes `payload` ms. */
const worker = defineLogic('worker', ($) => {
  for (const mode of MODES)
    $.onAction(jobs, 'trigger', ({ payload, signal }) => sleep(payload, signal), { mode, name: mode })
})

/** Saves a draft 300 ms after its last edit (each edit aborts the save still waiting). */
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

function Saved() {
  return <p>{useStore(jobs, (s) => s.saved)}</p>
}

let labels = 0
async function start(options: Partial<Parameters<typeof createRuntime>[0]> = {}): Promise<Runtime> {
  labels += 1
  const runtime = createRuntime({ stores: [jobs], devtools: { label: `logic-${labels}` }, ...options })
  runtimes.push(runtime)
  // The run phase starts once the runtime is ready.
  await act(() => vi.advanceTimersByTimeAsync(0))
  return runtime
}

/** The panel in StrictMode, as an app mounts it; queries scoped to its shadow root. */
async function renderPanel(props: DevtoolsPanelProps) {
  const result = render(
    <StrictMode>
      <DevtoolsPanel storageKey={null} initialOpen {...props} />
    </StrictMode>,
  )
  await act(async () => {})
  const shadow = document.querySelector('[data-atoma-devtools]')?.shadowRoot
  if (!shadow) throw new Error('the panel did not create its shadow host')
  return { ...result, panel: within(shadow as unknown as HTMLElement) }
}
type Panel = Awaited<ReturnType<typeof renderPanel>>['panel']

/** The watcher table of a logic as rows of cells (the header row left out). */
function watcherRows(panel: Panel, logic: string): string[][] {
  return within(panel.getByRole('table', { name: `Watchers of ${logic}` }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? ''))
}

/** Columns: Watcher, Trigger, Mode, Started, Finished, Aborted, Dropped, Queued, Running, Failed. */
const counters = (rows: string[][]) =>
  rows.map((cells) => [cells[0], ...cells.slice(3).map((cell) => Number.parseInt(cell, 10))])

describe('Logic view', () => {
  it('counts each mode: started, finished, aborted by latest, dropped by exhaust, queued by sequence', async () => {
    const runtime = await start({ logic: [worker] })
    const { trigger } = runtime.store(jobs).actions
    trigger(100)
    trigger(100)
    trigger(100)
    await act(() => vi.advanceTimersByTimeAsync(50))
    const { panel } = await renderPanel({ initialTab: 'logic' })
    expect(panel.getByRole('tab', { name: 'Logic' }).getAttribute('aria-selected')).toBe('true')
    const rows = watcherRows(panel, 'worker')
    expect(rows.map((cells) => cells.slice(1, 3))).toEqual(
      MODES.map((mode) => ['onAction jobs/trigger', mode]),
    )
    expect(counters(rows)).toEqual([
      // name, started, finished, aborted, dropped, queued, running, failed
      ['parallel', 3, 0, 0, 0, 0, 3, 0],
      ['latest', 3, 0, 2, 0, 0, 1, 0],
      ['exhaust', 1, 0, 0, 2, 0, 1, 0],
      ['sequence', 1, 0, 0, 0, 2, 1, 0],
    ])
    // The view follows the counters live (one re-render per frame).
    await act(() => vi.advanceTimersByTimeAsync(400))
    await nextFrame()
    expect(counters(watcherRows(panel, 'worker'))).toEqual([
      ['parallel', 3, 3, 0, 0, 0, 0, 0],
      ['latest', 3, 1, 2, 0, 0, 0, 0],
      ['exhaust', 1, 1, 0, 2, 0, 0, 0],
      ['sequence', 3, 3, 0, 0, 0, 0, 0],
    ])
    expect(within(panel.getByRole('heading', { name: /^worker/ })).getByText('run')).toBeTruthy()
    // Every settled run is listed (newest first), an aborted `latest` run among them.
    const runs = within(panel.getByRole('table', { name: `Runs of ${runtime.label}` }))
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('td')].slice(1, 4).map((cell) => cell.textContent))
    expect(runs.filter(([run]) => run === 'worker/latest').map(([, , status]) => status)).toEqual([
      'finished',
      'aborted',
      'aborted',
    ])
    expect(runs.filter(([run]) => run === 'worker/exhaust').map(([, , status]) => status)).toEqual([
      'finished',
      'dropped',
      'dropped',
    ])
    expect(runs).toHaveLength(3 + 3 + 3 + 3)
  })

  it('shows a failing watcher’s errors, expandable, and the watchers that did not fail go on', async () => {
    const printer = defineLogic(
      'printer',
      ($) => {
        $.onAction(jobs, 'trigger', ({ payload }) => {
          if (payload > 1) throw new Error(`printer on fire (${payload})`)
        })
        $.onAction(jobs, 'edit', () => {}, { name: 'draft' })
      },
      { onError: () => {} },
    )
    // Each failure is also a `logic::handler_failed` diagnostic, which warns outside production.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const runtime = await start({ logic: [printer] })
    runtime.store(jobs).actions.trigger(2)
    runtime.store(jobs).actions.trigger(3)
    runtime.store(jobs).actions.trigger(1)
    runtime.store(jobs).actions.edit('x')
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
    const { panel } = await renderPanel({ initialTab: 'logic' })
    const table = within(panel.getByRole('table', { name: 'Watchers of printer' }))
    const [failing, fine] = table.getAllByRole('row').slice(1)
    expect(failing?.getAttribute('data-kind')).toBe('error')
    expect(fine?.getAttribute('data-kind')).toBeNull()
    expect(counters(watcherRows(panel, 'printer'))).toEqual([
      ['onAction jobs/trigger', 3, 1, 0, 0, 0, 0, 2],
      ['draft', 1, 1, 0, 0, 0, 0, 0],
    ])
    expect(panel.queryByRole('region', { name: /^Errors of/ })).toBeNull()
    const toggle = table.getByRole('button', { name: /2 failed: show the errors/ })
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    const errors = within(panel.getByRole('region', { name: 'Errors of onAction jobs/trigger' }))
    expect(errors.getByText('Last error: printer on fire (3)')).toBeTruthy()
    expect(
      errors.getAllByRole('listitem').map((item) => item.querySelector('.atoma-grow')?.textContent),
    ).toEqual(['printer on fire (3)', 'printer on fire (2)'])
  })

  it('lists the trait graph: each field with what feeds it', async () => {
    interface Cart {
      n: number
      double: number
    }
    const cart = defineStore('cart', {
      initial: { n: 1, double: 0 } as Cart,
      actions: {
        set: (draft, n: number) => {
          draft.n = n
        },
      },
      traits: { double: computed(['n'], (s: Cart) => s.n * 2) },
    })
    async function getProfile(id: number) {
      return { id }
    }
    const mirror = defineStore('mirror', {
      initial: { n: 0, profile: sourceIdle as SourceState<{ id: number }> },
      traits: {
        n: link(cart, (s) => s.n),
        profile: source(getProfile, (s: { n: number }) => s.n),
      },
    })
    await start({ stores: [cart, mirror] })
    const { panel } = await renderPanel({ initialTab: 'logic' })
    // No defineLogic, but traits: the view is there for the graph.
    expect(panel.getByText('No defineLogic in this runtime (only traits).')).toBeTruthy()
    const items = within(panel.getByRole('list', { name: 'Trait graph' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent)
    expect(items).toEqual([
      'computed cart.double ← cart.n',
      'link mirror.n ← cart',
      'source mirror.profile ← getProfile',
    ])
  })

  it('opens a run’s causal chain: action → watcher run → the write it made → the renders of that write', async () => {
    const runtime = await start({ logic: [autosave] })
    render(
      <StrictMode>
        <RuntimeProvider runtime={runtime}>
          <Saved />
        </RuntimeProvider>
      </StrictMode>,
    )
    const first = runtime.store(jobs).actions.edit('a')
    const second = runtime.store(jobs).actions.edit('ab')
    await act(() => vi.advanceTimersByTimeAsync(300))
    const saved = runtime.history(jobs).find((record) => record.origin.name === 'save')
    if (!saved) throw new Error('the run did not save')

    const { panel } = await renderPanel({ initialTab: 'logic' })
    const runs = within(panel.getByRole('table', { name: `Runs of ${runtime.label}` })).getAllByRole('row')
    const [finished, aborted] = runs.slice(1)
    expect(finished?.textContent).toContain(`#${second.txnId}#${saved.txnId}`)
    expect(aborted?.textContent).toContain('aborted')
    // jsdom lays nothing out and has no scrollIntoView: record what the panel scrolls to.
    const scrolled = vi.fn()
    Element.prototype.scrollIntoView = scrolled
    fireEvent.click(within(finished as HTMLElement).getByRole('button', { name: 'Open chain' }))

    // The Transactions view, on the action that triggered the run.
    expect(panel.getByRole('tab', { name: 'Transactions' }).getAttribute('aria-selected')).toBe('true')
    expect(option(panel, 'Transactions', `edit("ab")`).getAttribute('aria-selected')).toBe('true')
    const chain = within(panel.getByRole('list', { name: 'Logic runs it triggered' }))
    // The detail opens scrolled to the chain.
    const list = panel.getByRole('list', { name: 'Logic runs it triggered' })
    expect(scrolled.mock.contexts.some((element) => (element as Element).contains(list))).toBe(true)
    delete (Element.prototype as Partial<Element>).scrollIntoView
    expect(chain.getByText(`#${second.txnId} action:edit (this one)`)).toBeTruthy()
    const run = chain.getAllByRole('listitem')[1] as HTMLElement
    expect(run.textContent).toMatch(
      /^run autosave\/save draft \(latest, finished, .* ms, op flow:autosave#1\.2\)/,
    )
    // The write, and the render it caused (reported by @atoma/react's render trace).
    expect(run.textContent).toContain(`wrote #${saved.txnId} action:save → 1 render: Saved`)

    // From the write, the chain reads upstream: which run made it, after which action.
    fireEvent.click(within(run).getByRole('button', { name: `#${saved.txnId} action:save` }))
    const upstream = within(panel.getByRole('list', { name: 'Logic run that made it' }))
    expect(upstream.getByRole('button', { name: `#${second.txnId} action:edit` })).toBeTruthy()
    expect(upstream.getByText(`#${saved.txnId} action:save (this one)`)).toBeTruthy()

    // The aborted run's trigger shows that run, which wrote nothing.
    fireEvent.click(option(panel, 'Transactions', `edit("a")`))
    const abortedChain = within(panel.getByRole('list', { name: 'Logic runs it triggered' }))
    expect(abortedChain.getByText(`#${first.txnId} action:edit (this one)`)).toBeTruthy()
    expect(abortedChain.getAllByRole('listitem')[1]?.textContent).toMatch(
      /\(latest, aborted, .*\) · wrote nothing$/,
    )
  })

  it('a run no commit triggered (a source’s) opens at its write, which names the run upstream', async () => {
    let emit: (value: string) => void = () => {}
    const ticker = defineLogic('ticker', ($) => {
      $.on(
        function clock(next: (value: string) => void) {
          emit = next
          return () => {}
        },
        ({ value, dispatch }) => {
          dispatch(jobs, 'save', value)
        },
      )
    })
    const runtime = await start({ logic: [ticker] })
    act(() => emit('tick'))
    const { panel } = await renderPanel({ initialTab: 'logic' })
    expect(watcherRows(panel, 'ticker').map((cells) => cells.slice(0, 3))).toEqual([
      ['on clock', 'on (source)', 'parallel'],
    ])
    const [row] = within(panel.getByRole('table', { name: `Runs of ${runtime.label}` }))
      .getAllByRole('row')
      .slice(1)
    fireEvent.click(within(row as HTMLElement).getByRole('button', { name: 'Open chain' }))
    expect(option(panel, 'Transactions', 'save("tick")').getAttribute('aria-selected')).toBe('true')
    const upstream = within(panel.getByRole('list', { name: 'Logic run that made it' }))
    expect(upstream.getAllByRole('listitem')[0]?.textContent).toBe('trigger a source, not a commit')
    expect(upstream.getByText(/action:save \(this one\)/)).toBeTruthy()
  })

  it('shows a recording’s runs, trait graph and chains (the counters need a live runtime)', async () => {
    const cart = defineStore('cart', {
      initial: { n: 1, double: 0 },
      traits: { double: computed(['n'], (s: { n: number }) => s.n * 2) },
    })
    const runtime = await start({ stores: [jobs, cart], logic: [autosave] })
    const edit = runtime.store(jobs).actions.edit('recorded')
    await act(() => vi.advanceTimersByTimeAsync(300))
    const recording = JSON.parse(JSON.stringify(exportRecording()))
    runtime.dispose()
    const { panel } = await renderPanel({ initialTab: 'logic', recording })
    expect(panel.getByText(/Watcher counters are read from a live runtime/)).toBeTruthy()
    expect(
      within(panel.getByRole('list', { name: 'Trait graph' })).getByText('cart.double ← cart.n'),
    ).toBeTruthy()
    const [run] = within(panel.getByRole('table', { name: `Runs of ${runtime.label}` }))
      .getAllByRole('row')
      .slice(1)
    expect(run?.textContent).toContain('autosave/save draft')
    fireEvent.click(within(run as HTMLElement).getByRole('button', { name: 'Open chain' }))
    const chain = within(panel.getByRole('list', { name: 'Logic runs it triggered' }))
    expect(chain.getByText(`#${edit.txnId} action:edit (this one)`)).toBeTruthy()
    expect(chain.getAllByRole('listitem')[1]?.textContent).toMatch(
      /^run autosave\/save draft \(latest, finished/,
    )
    expect(chain.getByRole('button', { name: `#${edit.txnId + 1} action:save` })).toBeTruthy()
  })

  it('has no tab on a page without logic', async () => {
    await start()
    const { panel } = await renderPanel({ initialTab: 'logic' })
    expect(panel.queryByRole('tab', { name: 'Logic' })).toBeNull()
    // The remembered tab has nothing to show: the Timeline opens instead.
    expect(panel.getByRole('tab', { name: 'Timeline' }).getAttribute('aria-selected')).toBe('true')
  })
})
