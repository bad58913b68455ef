import { act, fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { loadSettings } from '../src/panel/settings.js'
import { nextFrame, option, renderPanel, SERVER_TODOS, testRuntime, todos, ui } from './helpers.js'

type Panel = Awaited<ReturnType<typeof renderPanel>>['panel']

async function openState(store: string) {
  const rendered = await renderPanel({ initialOpen: true, initialTab: 'state' })
  fireEvent.change(rendered.panel.getByRole('combobox', { name: 'Store' }), { target: { value: store } })
  return rendered
}

const matches = (panel: Panel) =>
  within(panel.getByRole('list', { name: 'Matches' }))
    .getAllByRole('listitem')
    .map((row) => row.textContent)

describe('State view tools', () => {
  it('searches keys and values, case-insensitively, in a collection of 5,000', async () => {
    const runtime = testRuntime()
    runtime.transact(
      todos,
      (draft) => {
        for (let id = 0; id < 5_000; id++) draft.set(id, { id, title: `task ${id}`, done: id % 2 === 0 })
      },
      { kind: 'hydrate' },
    )
    const { panel } = await openState('todos')
    fireEvent.change(panel.getByRole('searchbox', { name: 'Search the state' }), {
      target: { value: 'TASK 4999' },
    })
    expect(matches(panel)).toEqual(['todos › 4999 › title:"task 4999"'])
    fireEvent.change(panel.getByRole('searchbox', { name: 'Search the state' }), {
      target: { value: 'done' },
    })
    expect(panel.getByText(/^500 matches \(the first 500\)/)).toBeTruthy()
  })

  it('dispatches an action with a JSON payload as one transaction, and refuses bad JSON with a message', async () => {
    const runtime = testRuntime()
    const { panel } = await openState('ui')
    const form = within(panel.getByRole('form', { name: 'Dispatch an action of ui' }))
    fireEvent.change(form.getByRole('combobox', { name: 'Action' }), { target: { value: 'setFilter' } })
    const payload = form.getByRole('textbox', { name: /^Payload/ })
    fireEvent.change(payload, { target: { value: "'done'" } })
    expect(payload.getAttribute('aria-invalid')).toBe('true')
    fireEvent.click(form.getByRole('button', { name: 'Dispatch setFilter' }))
    expect(form.getByRole('alert').textContent).toMatch(/^Not dispatched: the payload is not valid JSON/)
    expect(runtime.history(ui)).toHaveLength(0)

    fireEvent.change(payload, { target: { value: '"done"' } })
    await act(async () => fireEvent.click(form.getByRole('button', { name: 'Dispatch setFilter' })))
    expect(runtime.history(ui).map((record) => record.origin)).toEqual([
      { kind: 'action', name: 'setFilter' },
    ])
    expect(runtime.store(ui).getState().filter).toBe('done')
    expect(form.getByRole('status').textContent).toBe(
      `Dispatched ui/setFilter: transaction #${runtime.history(ui)[0]?.txnId}.`,
    )

    fireEvent.change(form.getByRole('combobox', { name: 'Action' }), { target: { value: 'fail' } })
    fireEvent.change(payload, { target: { value: '' } })
    await act(async () => fireEvent.click(form.getByRole('button', { name: 'Dispatch fail' })))
    expect(form.getByRole('alert').textContent).toMatch(/^ui\/fail failed: .*boom/)
    expect(runtime.history(ui)).toHaveLength(1)
  })

  it('offers no dispatch for a collection', async () => {
    testRuntime()
    const { panel } = await openState('todos')
    expect(panel.queryByRole('form')).toBeNull()
  })

  it('opens on the runtime of the current page: the one that rendered last', async () => {
    const board = testRuntime()
    const offline = testRuntime()
    board.debug?.emit({ kind: 'react-render', store: 'todos', name: 'Board' })
    offline.debug?.emit({ kind: 'react-render', store: 'todos', name: 'OfflineBoard' })
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'state' })
    expect((panel.getByRole('combobox', { name: 'Runtime' }) as HTMLSelectElement).value).toBe(offline.label)
  })
})

describe('Transactions: compare two', () => {
  it('diffs the state after one transaction against the state after another', async () => {
    const runtime = testRuntime({ serverSeed: SERVER_TODOS })
    await runtime.store(todos).query({})
    const first = runtime.store(todos).write.patch(1, { title: 'one' })
    await first
    const second = await runtime.store(todos).write.patch(2, { title: 'two' })
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
    fireEvent.click(option(panel, 'Transactions', `#${second.txnId}optimistic`))
    fireEvent.click(panel.getByRole('button', { name: 'Compare with…' }))
    fireEvent.change(panel.getByRole('combobox', { name: 'Compare with' }), {
      target: { value: `${runtime.label}\u0000${first.txnId}` },
    })
    const section = within(panel.getByRole('region', { name: 'Compare with another transaction' }))
    expect(section.getByText(`State after #${first.txnId} → state after #${second.txnId}`)).toBeTruthy()
    expect(section.getByRole('list', { name: 'Diff of todos › 2' }).textContent).toBe('title"test it"→"two"')
  })
})

describe('settings', () => {
  it('remembers open, dock side, size, view and filters across mounts', async () => {
    testRuntime()
    const first = await renderPanel({ initialOpen: true })
    fireEvent.click(first.panel.getByRole('button', { name: 'Dock to the right' }))
    fireEvent.click(first.panel.getByRole('button', { name: 'state:update' }))
    fireEvent.click(first.panel.getByRole('tab', { name: 'Ops' }))
    await nextFrame()
    expect(loadSettings('atoma-devtools')).toMatchObject({
      open: true,
      position: 'right',
      tab: 'ops',
      timeline: { kinds: ['state:update'] },
    })
    first.unmount()
    await act(async () => {})

    const second = await renderPanel()
    expect(second.shadow.querySelector('.atoma-dock')?.getAttribute('data-position')).toBe('right')
    expect(second.panel.getByRole('tab', { selected: true }).textContent).toBe('Ops')
    fireEvent.click(second.panel.getByRole('tab', { name: 'Timeline' }))
    expect(second.panel.getByRole('button', { name: 'state:update' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
  })

  it('ignores malformed stored settings', () => {
    localStorage.setItem(
      'atoma-devtools',
      JSON.stringify({ open: 'yes', position: 'top', tab: 'nope', sizes: { bottom: -3 } }),
    )
    expect(loadSettings('atoma-devtools')).toEqual({ sizes: {} })
    localStorage.setItem('atoma-devtools', '{not json')
    expect(loadSettings('atoma-devtools')).toEqual({})
  })
})
