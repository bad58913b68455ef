import * as atoma from '@atoma/runtime'
import { act, fireEvent, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderPanel, testRuntime, todos, ui } from './helpers.js'

// A pass-through spy on the serializer, to see what the State view serializes.
vi.mock('@atoma/runtime', async (importOriginal) => {
  const runtime = await importOriginal<typeof import('@atoma/runtime')>()
  return { ...runtime, toSerializable: vi.fn(runtime.toSerializable) }
})
const serialize = vi.mocked(atoma.toSerializable)
afterEach(() => serialize.mockClear())

type Panel = Awaited<ReturnType<typeof renderPanel>>['panel']
const rows = (panel: Panel, tree: string) =>
  within(panel.getByRole('tree', { name: tree }))
    .getAllByRole('treeitem')
    .map((item) => item.textContent)
/** The row of the key `key` (its text starts with the key, after the ▸/▾ marker). */
const item = (panel: Panel, tree: string, key: string) => {
  const found = within(panel.getByRole('tree', { name: tree }))
    .getAllByRole('treeitem')
    .find((row) => row.textContent?.replace(/^[▸▾]/, '').startsWith(`${key}:`))
  if (!found) throw new Error(`no tree item for ${key}`)
  return found
}

async function openState(store: string) {
  const rendered = await renderPanel({ initialOpen: true, initialTab: 'state' })
  fireEvent.change(rendered.panel.getByRole('combobox', { name: 'Store' }), { target: { value: store } })
  return rendered
}

describe('State view', () => {
  it('shows Map, Set, Date, BigInt and cycles as what they are', async () => {
    testRuntime()
    const { panel } = await openState('ui')
    expect(rows(panel, 'State of ui')).toEqual([
      '▾ui:{filter: "all", count: 0, tags: Set(1), seen: Map(1), big: 10n, … 1 more}',
      'filter:"all"',
      'count:0',
      '▸tags:Set(1) {"a"}',
      '▸seen:Map(1) {"first" => 2024-05-01T10:00:00.000Z}',
      'big:10n',
      expect.stringMatching(/^▸graph:\{name: "loop", self: /),
    ])
    fireEvent.click(item(panel, 'State of ui', 'graph'))
    fireEvent.click(item(panel, 'State of ui', 'seen'))
    const shown = rows(panel, 'State of ui')
    expect(shown).toContain('self:[Cycle → root.graph]')
    expect(shown).toContain('"first":2024-05-01T10:00:00.000Z')
  })

  it('pages a large collection and serializes only the rows on screen', async () => {
    const runtime = testRuntime()
    runtime.transact(
      todos,
      (draft) => {
        for (let id = 0; id < 5_000; id++) draft.set(id, { id, title: `todo ${id}`, done: id % 2 === 0 })
      },
      { kind: 'hydrate' },
    )
    serialize.mockClear()
    const { panel } = await openState('todos')
    const tree = panel.getByRole('tree', { name: 'State of todos' })
    const items = within(tree).getAllByRole('treeitem')
    expect(items[0]?.textContent).toMatch(/^▾todos:EntityMap\(5000\)/)
    expect(items.length).toBeLessThan(40)
    // Every serialization is one row's bounded preview: never the collection, never deep.
    expect(serialize.mock.calls.length).toBeLessThanOrEqual(items.length)
    for (const [, limits] of serialize.mock.calls) expect(limits?.maxDepth).toBeLessThanOrEqual(1)

    fireEvent.keyDown(tree, { key: 'End' })
    expect(within(tree).getByRole('treeitem', { selected: true }).textContent).toBe(
      'Show 100 more (100 of 5000)',
    )
    fireEvent.keyDown(tree, { key: 'Enter' })
    fireEvent.keyDown(tree, { key: 'End' })
    expect(within(tree).getByRole('treeitem', { selected: true }).textContent).toBe(
      'Show 100 more (200 of 5000)',
    )
    expect(tree.querySelector('[role="presentation"]')?.getAttribute('style')).toContain(
      `height: ${202 * 20}px`,
    )
  })

  it('expands and collapses from the keyboard', async () => {
    testRuntime({ seed: [{ id: 7, title: 'seven', done: false }] })
    const { panel } = await openState('todos')
    const tree = panel.getByRole('tree', { name: 'State of todos' })
    fireEvent.keyDown(tree, { key: 'ArrowDown' })
    const entity = within(tree).getByRole('treeitem', { selected: true })
    expect(entity.textContent).toBe('▸7:{id: 7, title: "seven", done: false}')
    expect(entity.getAttribute('aria-expanded')).toBe('false')
    fireEvent.keyDown(tree, { key: 'ArrowRight' })
    expect(rows(panel, 'State of todos').slice(2)).toEqual(['id:7', 'title:"seven"', 'done:false'])
    fireEvent.keyDown(tree, { key: 'ArrowRight' })
    expect(within(tree).getByRole('treeitem', { selected: true }).getAttribute('aria-level')).toBe('3')
    fireEvent.keyDown(tree, { key: 'ArrowLeft' })
    expect(within(tree).getByRole('treeitem', { selected: true }).textContent).toMatch(/^▾7:/)
    fireEvent.keyDown(tree, { key: 'ArrowLeft' })
    expect(rows(panel, 'State of todos')).toHaveLength(2)
  })

  it('follows the live state as commits arrive', async () => {
    const runtime = testRuntime()
    const { panel } = await openState('ui')
    runtime.store(ui).actions.setFilter('open')
    await act(async () => {
      await new Promise((done) => requestAnimationFrame(() => done(undefined)))
    })
    expect(rows(panel, 'State of ui')[1]).toBe('filter:"open"')
  })
})
