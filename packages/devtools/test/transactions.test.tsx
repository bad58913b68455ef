import { createRuntime, memoryBackend } from '@atoma/runtime'
import { act, fireEvent, within } from '@testing-library/react'
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

async function openTransactions() {
  const runtime = testRuntime({ serverSeed: SERVER_TODOS })
  const scenario = await runScenario(runtime)
  const rendered = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
  return { runtime, scenario, ...rendered }
}

const region = (panel: Awaited<ReturnType<typeof renderPanel>>['panel'], name: string | RegExp) =>
  panel.getByRole('region', { name })

describe('Transactions view', () => {
  it('lists every transaction by its action or write and the entity’s display field, with store, patches and duration', async () => {
    const { panel, scenario } = await openTransactions()
    const rows = optionTexts(panel, 'Transactions')
    expect(rows[0]).toMatch(/^#1querytodos3 items “write the panel” \+23 patches[\d.]+ ms$/)
    expect(rows).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^#${scenario.confirmed.optimistic}optimistic:updatetodosupdate “write the panel”1 patch[\\d.]+ ms$`,
        ),
      ),
    )
    // An action shows its payload (a bounded preview), from the action op that committed it.
    expect(rows).toContainEqual(
      expect.stringMatching(
        new RegExp(`^#${scenario.action}action:setFilteruisetFilter\\("done"\\)1 patch[\\d.]+ ms$`),
      ),
    )
    fireEvent.change(panel.getByRole('combobox', { name: 'Store' }), { target: { value: 'ui' } })
    expect(optionTexts(panel, 'Transactions')).toHaveLength(1)
  })

  it('shows a transaction’s cost: listeners, re-rendered components, patches, bytes', async () => {
    const runtime = testRuntime({ serverSeed: SERVER_TODOS })
    const unsubscribe = [runtime.store(todos).subscribe(() => {}), runtime.store(todos).subscribe(() => {})]
    const scenario = await runScenario(runtime)
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
    fireEvent.click(option(panel, 'Transactions', `#${scenario.confirmed.optimistic}optimistic`))
    const cost = region(panel, 'Cost')
    const value = (name: string) => within(cost).getByText(name).nextElementSibling?.textContent
    expect(value('Listeners notified')).toBe('2')
    expect(value('Components re-rendered')).toBe('2')
    expect(value('Patches')).toBe('1')
    const patches = [{ op: 'replace', path: [1, 'done'], value: true }]
    expect(value('Bytes changed')).toBe(`${JSON.stringify(patches).length} B`)
    expect(cost.textContent).toContain('Rendered: TodoList, TodoItem')
    for (const off of unsubscribe) off()
  })

  it('shows the patches and a before/after diff of only the changed entity', async () => {
    const { panel, scenario } = await openTransactions()
    fireEvent.click(option(panel, 'Transactions', `#${scenario.confirmed.optimistic}optimistic`))
    const patches = panel.getByRole('list', { name: 'Patches' })
    expect(
      within(patches)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['replace[1, "done"]true'])
    const changes = region(panel, 'Changes (before → after)')
    const diffs = within(changes).getAllByRole('list')
    expect(diffs.map((diff) => diff.getAttribute('aria-label'))).toEqual(['Diff of todos › 1'])
    expect(
      within(diffs[0] as HTMLElement)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['donefalse→true'])
  })

  it('diffs one entity of a 5,000-entity collection without touching the others', async () => {
    const runtime = testRuntime()
    runtime.transact(
      todos,
      (draft) => {
        for (let id = 0; id < 5_000; id++) draft.set(id, { id, title: `todo ${id}`, done: false })
      },
      { kind: 'hydrate' },
    )
    const record = runtime.transact(
      todos,
      (draft) => {
        const todo = draft.get(4_321)
        if (todo) todo.title = 'changed'
      },
      { kind: 'action', name: 'rename' },
    )
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
    fireEvent.click(option(panel, 'Transactions', `#${record.txnId}`))
    const changes = region(panel, 'Changes (before → after)')
    expect(
      within(changes)
        .getAllByRole('list')
        .map((diff) => diff.getAttribute('aria-label')),
    ).toEqual(['Diff of todos › 4321'])
    expect(changes.textContent).toContain('title"todo 4321"→"changed"')
  })

  it('pages the changes of a transaction that changed many entities', async () => {
    const runtime = testRuntime()
    runtime.transact(
      todos,
      (draft) => {
        for (let id = 0; id < 50; id++) draft.set(id, { id, title: `todo ${id}`, done: false })
      },
      { kind: 'hydrate' },
    )
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
    fireEvent.click(option(panel, 'Transactions', '#1hydrate'))
    const changes = region(panel, 'Changes (before → after)')
    expect(within(changes).getAllByRole('list')).toHaveLength(20)
    fireEvent.click(within(changes).getByRole('button', { name: 'Show more changes (20 of 50)' }))
    expect(within(changes).getAllByRole('list')).toHaveLength(40)
    expect(within(changes).getAllByText('added')).toHaveLength(40)
  })

  it('shows a write as one causal chain: optimistic → service op → writeback, with ops and renders', async () => {
    const { panel, scenario } = await openTransactions()
    fireEvent.click(option(panel, 'Transactions', `#${scenario.confirmed.writeback}writeback`))
    const chain = panel.getByRole('list', { name: 'Causal chain' })
    const steps = within(chain)
      .getAllByRole('listitem')
      .map((step) => step.textContent)
    expect(steps[0]).toBe(`optimistic #${scenario.confirmed.optimistic} optimistic:update · ids 1`)
    expect(steps[1]).toMatch(/^service op todos\/write \(ok, [\d.]+ ms\)$/)
    expect(steps[2]).toBe(`writeback #${scenario.confirmed.writeback} writeback:update (this one)`)
    expect(steps[3]).toMatch(
      /^ops todos\/optimistic:update \(ok, [\d.]+ ms\), todos\/writeback:update \(ok, [\d.]+ ms\)$/,
    )
    expect(steps[4]).toBe('renders 3: TodoList, TodoItem')

    fireEvent.click(
      within(chain).getByRole('button', { name: `#${scenario.confirmed.optimistic} optimistic:update` }),
    )
    expect(region(panel, `Transaction #${scenario.confirmed.optimistic}`)).toBeTruthy()
  })

  it('links a rejected write to its rollback, and both halves of a partial write', async () => {
    const { panel, scenario } = await openTransactions()
    fireEvent.click(option(panel, 'Transactions', `#${scenario.rejected.optimistic}optimistic`))
    let steps = within(panel.getByRole('list', { name: 'Causal chain' }))
      .getAllByRole('listitem')
      .map((step) => step.textContent)
    expect(steps[2]).toBe(`rollback #${scenario.rejected.rollback} rollback:update`)

    fireEvent.click(option(panel, 'Transactions', `#${scenario.partial.rollback}rollback`))
    steps = within(panel.getByRole('list', { name: 'Causal chain' }))
      .getAllByRole('listitem')
      .map((step) => step.textContent)
    expect(steps[0]).toBe(`optimistic #${scenario.partial.optimistic} optimistic:patches · ids 2, 99`)
    expect(steps[2]).toBe(`writeback #${scenario.partial.writeback} writeback:patches`)
    expect(steps[3]).toBe(`rollback #${scenario.partial.rollback} rollback:patches (this one)`)
  })

  it('has no causal chain for transactions that are not writes', async () => {
    const { panel, scenario } = await openTransactions()
    fireEvent.click(option(panel, 'Transactions', `#${scenario.action}action`))
    expect(panel.queryByRole('list', { name: 'Causal chain' })).toBeNull()
  })

  it('opens the State view on a transaction’s before or after snapshot', async () => {
    const { panel, scenario } = await openTransactions()
    fireEvent.click(option(panel, 'Transactions', `#${scenario.action}action`))
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'State before' })))
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('State')
    expect(panel.getByText(`Snapshot before transaction #${scenario.action}`)).toBeTruthy()
    expect(panel.getByRole('tree', { name: `State of ui before #${scenario.action}` }).textContent).toContain(
      'filter:"all"',
    )
  })
})

describe('action payloads', () => {
  it('shows an action’s payload under full instrumentation, and nothing of it under light', async () => {
    const full = testRuntime()
    const light = createRuntime({
      stores: [ui],
      plugins: [memoryBackend()],
      instrumentation: 'light',
      devtools: { label: 'light-payload' },
    })
    try {
      full.store(ui).actions.setFilter('done')
      light.store(ui).actions.setFilter('open')
      const { panel } = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
      const rows = optionTexts(panel, 'Transactions')
      expect(rows).toContainEqual(expect.stringMatching(/^#\d+action:setFilteruisetFilter\("done"\)1 patch/))
      expect(rows).toContainEqual(expect.stringMatching(/^#\d+action:setFilteruisetFilter\(\)0 patches/))
      fireEvent.click(option(panel, 'Transactions', 'setFilter("done")'))
      const payload = within(panel.getByRole('tree', { name: 'Action payload' }))
      expect(payload.getAllByRole('treeitem').map((row) => row.textContent)).toEqual(['payload:"done"'])
      fireEvent.click(option(panel, 'Transactions', 'setFilter()'))
      expect(panel.queryByRole('tree', { name: 'Action payload' })).toBeNull()
    } finally {
      light.dispose()
    }
  })
})
