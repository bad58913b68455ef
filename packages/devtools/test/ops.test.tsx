import { fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import {
  option,
  optionTexts,
  renderPanel,
  runScenario,
  SERVER_TODOS,
  testRuntime,
  todos,
  ui,
} from './helpers.js'

async function openOps() {
  const runtime = testRuntime({ serverSeed: SERVER_TODOS })
  const scenario = await runScenario(runtime)
  const rendered = await renderPanel({ initialOpen: true, initialTab: 'ops' })
  return { runtime, scenario, ...rendered }
}

describe('Ops view', () => {
  it('lists EffectOp traces with status, kind, transaction, renders and duration', async () => {
    const { panel, scenario } = await openOps()
    const rows = optionTexts(panel, 'EffectOps')
    expect(rows[0]).toMatch(/^okservicetodos\/query[\d.]+ ms$/)
    expect(rows).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^okstatetodos/optimistic:updatetxn #${scenario.confirmed.optimistic}2 renders[\\d.]+ ms$`,
        ),
      ),
    )
    // An action op names the transaction it committed (and the renders that caused).
    expect(rows).toContainEqual(
      expect.stringMatching(/^okactionui\/setFiltertxn #\d+(\d+ renders?)?[\d.]+ ms$/),
    )
  })

  it('follows an op to its transaction and the components it re-rendered', async () => {
    const { panel, scenario } = await openOps()
    fireEvent.click(option(panel, 'EffectOps', `todos/optimistic:update`))
    const txn = panel.getByRole('region', { name: 'Transaction' })
    expect(txn.textContent).toMatch(
      new RegExp(
        `^Transaction#${scenario.confirmed.optimistic} optimistic:update on todos · 1 patch · [\\d.]+ ms$`,
      ),
    )
    const renders = panel.getByRole('list', { name: 'Rendered components' })
    expect(
      within(renders)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['TodoList', 'TodoItem'])

    fireEvent.click(within(txn).getByRole('button'))
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('Transactions')
    expect(panel.getByRole('region', { name: `Transaction #${scenario.confirmed.optimistic}` })).toBeTruthy()
  })

  it('filters failed ops and shows their error', async () => {
    const runtime = testRuntime()
    expect(() => runtime.store(ui).actions.fail()).toThrow('boom')
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'ops' })
    fireEvent.change(panel.getByRole('combobox', { name: 'Status' }), { target: { value: 'error' } })
    // The action op and the state op inside it both failed; the transaction never committed.
    expect(optionTexts(panel, 'EffectOps')).toEqual([
      expect.stringMatching(/^errorstateui\/action:failtxn #1[\d.]+ ms$/),
      expect.stringMatching(/^erroractionui\/fail[\d.]+ ms$/),
    ])
    fireEvent.click(option(panel, 'EffectOps', 'ui/fail'))
    expect(panel.getByRole('region', { name: 'Op' }).textContent).toContain(
      "the action recipe 'fail' threw: boom",
    )
    expect(panel.getByRole('region', { name: 'Transaction' }).textContent).toBe(
      'TransactionThis op names no transaction.',
    )
    fireEvent.click(option(panel, 'EffectOps', 'ui/action:fail'))
    expect(panel.getByRole('region', { name: 'Transaction' }).textContent).toBe(
      'Transaction#1 is not in the event buffer (evicted, or it never committed).',
    )
  })
})

/** A runtime whose query was aborted by its caller before it ran (as an unmounted component's is). */
async function abortedQuery() {
  const runtime = testRuntime({ serverSeed: SERVER_TODOS })
  const controller = new AbortController()
  controller.abort()
  await runtime
    .store(todos)
    .query({}, { signal: controller.signal })
    .catch(() => undefined)
  return runtime
}

describe('aborted ops', () => {
  it('shows a query aborted by its caller as aborted, not as a failure', async () => {
    await abortedQuery()
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'ops' })
    expect(optionTexts(panel, 'EffectOps')).toEqual([
      expect.stringMatching(/^abortedservicetodos\/query[\d.]+ ms$/),
    ])
    fireEvent.click(option(panel, 'EffectOps', 'todos/query'))
    const op = within(panel.getByRole('region', { name: 'Op' }))
    expect(op.getByText('code').nextElementSibling?.textContent).toBe('ABORTED')
    fireEvent.change(panel.getByRole('combobox', { name: 'Status' }), { target: { value: 'error' } })
    expect(panel.getByText('No EffectOp has settled yet.')).toBeTruthy()
  })

  it('colours failures as errors in the Timeline, and aborted ops as neither', async () => {
    const runtime = await abortedQuery()
    // Its rejected write (an entity only the client has) is rolled back.
    await runScenario(runtime)
    const { panel } = await renderPanel({ initialOpen: true })
    const tonesOf = (text: string) => {
      fireEvent.change(panel.getByRole('searchbox', { name: 'Search events' }), { target: { value: text } })
      return within(panel.getByRole('listbox', { name: 'Events' }))
        .getAllByRole('option')
        .map((row) => `${row.dataset.tone}:${row.textContent?.replace(/^\d\d:\d\d:\d\d\.\d{3}/, '')}`)
    }
    expect(tonesOf('aborted')).toEqual([
      expect.stringMatching(/^aborted:effectoptodostodos\/query · service · aborted/),
    ])
    const tones = tonesOf('rollback')
    expect(tones).toContainEqual(expect.stringMatching(/^error:state:updatetodosrollback/))
  })
})
