import { act, fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { option, optionTexts, renderPanel, runScenario, SERVER_TODOS, testRuntime, ui } from './helpers.js'

async function openTimeline() {
  const runtime = testRuntime({ serverSeed: SERVER_TODOS })
  const scenario = await runScenario(runtime)
  const rendered = await renderPanel({ initialOpen: true })
  return { runtime, scenario, ...rendered }
}

describe('Timeline view', () => {
  it('lists every hub event with its time, kind, store and summary', async () => {
    const { panel } = await openTimeline()
    const count = panel.getByText(/ of \d+ events$/).textContent ?? ''
    const [shown, total] = count.match(/\d+/g)?.map(Number) ?? []
    expect(shown).toBe(total)
    expect(total).toBeGreaterThan(20)
    const list = panel.getByRole('listbox', { name: 'Events' })
    // The list opens on the newest events; Home goes to the oldest.
    expect(within(list).getAllByRole('option').at(-1)?.getAttribute('aria-posinset')).toBe(String(total))
    fireEvent.keyDown(list, { key: 'Home' })
    expect(within(list).getAllByRole('option')[0]?.getAttribute('aria-setsize')).toBe(String(total))
    const texts = optionTexts(panel, 'Events')
    expect(texts[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}effectoptodostodos\/query · service · ok · [\d.]+ ms$/)
    expect(texts[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}state:updatetodosquery · txn #1 · 3 patches$/)
    expect(texts.some((text) => text.includes('effectoptodostodos/write · service · ok'))).toBe(true)
  })

  it('filters by kind (toggle buttons), by store and by text, and combines them', async () => {
    const { panel } = await openTimeline()
    const renders = panel.getByRole('button', { name: 'react-render' })
    fireEvent.click(renders)
    expect(renders.getAttribute('aria-pressed')).toBe('true')
    expect(optionTexts(panel, 'Events').every((text) => text.includes('react-render'))).toBe(true)
    expect(panel.getByText(/ of \d+ events$/).textContent).toMatch(/^4 of/)

    fireEvent.change(panel.getByRole('combobox', { name: 'Store' }), { target: { value: 'ui' } })
    expect(optionTexts(panel, 'Events')).toEqual([
      expect.stringMatching(/react-renderuiFilterBar · txn #\d+$/),
    ])

    fireEvent.click(renders)
    fireEvent.change(panel.getByRole('combobox', { name: 'Store' }), { target: { value: '' } })
    fireEvent.change(panel.getByRole('searchbox', { name: 'Search events' }), {
      target: { value: 'ROLLBACK state' },
    })
    const found = optionTexts(panel, 'Events')
    expect(found.length).toBeGreaterThan(0)
    expect(found.every((text) => /rollback/.test(text) && /state/.test(text))).toBe(true)

    fireEvent.change(panel.getByRole('searchbox', { name: 'Search events' }), {
      target: { value: 'no such thing' },
    })
    expect(panel.getByText('No event matches the filters.')).toBeTruthy()
  })

  it('shows an event’s fields and data, and links a state update to its transaction', async () => {
    const { panel, scenario } = await openTimeline()
    fireEvent.change(panel.getByRole('searchbox', { name: 'Search events' }), {
      target: { value: 'setFilter state:update' },
    })
    fireEvent.click(option(panel, 'Events', 'action · setFilter'))
    expect(panel.getByRole('region', { name: /^Event #\d+$/ }).textContent).toContain(
      `transaction#${scenario.action}`,
    )
    expect(panel.getByRole('tree', { name: 'Event data' })).toBeTruthy()

    fireEvent.click(panel.getByRole('button', { name: `#${scenario.action}` }))
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('Transactions')
    expect(panel.getByRole('region', { name: `Transaction #${scenario.action}` })).toBeTruthy()
  })

  it('moves the selection with the keyboard', async () => {
    const { panel } = await openTimeline()
    const list = panel.getByRole('listbox', { name: 'Events' })
    fireEvent.keyDown(list, { key: 'ArrowDown' })
    const first = within(list).getByRole('option', { selected: true })
    expect(first.getAttribute('aria-posinset')).toBe('1')
    expect(list.getAttribute('aria-activedescendant')).toBe(first.id)
    fireEvent.keyDown(list, { key: 'ArrowDown' })
    expect(within(list).getByRole('option', { selected: true }).getAttribute('aria-posinset')).toBe('2')
    fireEvent.keyDown(list, { key: 'End' })
    const last = within(list).getByRole('option', { selected: true })
    expect(last.getAttribute('aria-posinset')).toBe(last.getAttribute('aria-setsize'))
  })

  it('renders only a window of a 500-event buffer', async () => {
    const runtime = testRuntime()
    for (let i = 0; i < 200; i++) runtime.store(ui).actions.inc()
    const { panel } = await renderPanel({ initialOpen: true })
    await act(async () => {})
    expect(panel.getByText(/ of \d+ events$/).textContent).toBe('500 of 500 events')
    const options = within(panel.getByRole('listbox', { name: 'Events' })).getAllByRole('option')
    expect(options.length).toBeLessThan(40)
    expect(options[0]?.getAttribute('aria-setsize')).toBe('500')
  })
})
