import { fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { option, optionTexts, renderPanel, runScenario, SERVER_TODOS, testRuntime, ui } from './helpers.js'

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
