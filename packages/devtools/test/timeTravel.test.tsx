import { act, fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { exportRecording } from '../src/recording/exportRecording.js'
import { modeBadge, nextFrame, option, optionTexts, renderPanel, testRuntime, todos, ui } from './helpers.js'

type Panel = Awaited<ReturnType<typeof renderPanel>>['panel']

async function openTimeTravel() {
  const runtime = testRuntime()
  const store = runtime.store(ui)
  const txns = [store.actions.setFilter('open').txnId, store.actions.inc().txnId, store.actions.inc().txnId]
  const rendered = await renderPanel({ initialOpen: true, initialTab: 'travel' })
  fireEvent.change(rendered.panel.getByRole('combobox', { name: 'Store' }), { target: { value: 'ui' } })
  const state = () => store.getState()
  return { runtime, txns, state, ...rendered }
}

const click = async (panel: Panel, name: string) => {
  await act(async () => fireEvent.click(panel.getByRole('button', { name })))
  await nextFrame()
}
const status = (panel: Panel) => panel.getByRole('status').textContent
const slider = (panel: Panel) => panel.getByRole('slider', { name: 'History position' }) as HTMLInputElement

describe('Time travel view', () => {
  it('lists the store’s transactions and jumps to any one’s before and after through the runtime', async () => {
    const { panel, shadow, txns, state } = await openTimeTravel()
    const [setFilter, firstInc, secondInc] = txns as [number, number, number]
    expect(
      optionTexts(panel, 'History of ui').map((text) => text.replace(/\d\d:\d\d:\d\d\.\d{3}/, '')),
    ).toEqual([
      `#${setFilter}action:setFiltersetFilter("open")`,
      `#${firstInc}action:incinc()`,
      `#${secondInc}action:incinc()live`,
    ])
    expect(status(panel)).toBe('Live')

    fireEvent.click(option(panel, 'History of ui', `#${firstInc}`))
    await click(panel, `Jump to before #${firstInc}`)
    expect(state()).toMatchObject({ filter: 'open', count: 0 })
    expect(status(panel)).toBe(`Paused at txn #${firstInc} (before)`)
    expect(modeBadge(shadow)).toBe(`Paused at txn #${firstInc} (ui, before)`)

    await click(panel, `Jump to after #${firstInc}`)
    expect(state()).toMatchObject({ filter: 'open', count: 1 })
    expect(status(panel)).toBe(`Paused at txn #${firstInc} (after)`)
    // The jumps are devtools transactions: committed, but not steps of the app's history.
    expect(optionTexts(panel, 'History of ui')).toHaveLength(3)
  })

  it('shows the state at the selected point and its diff against live', async () => {
    const { panel, txns } = await openTimeTravel()
    fireEvent.click(option(panel, 'History of ui', `#${txns[0]}`))
    await nextFrame()
    const tree = within(panel.getByRole('tree', { name: `State after #${txns[0]}` }))
    expect(tree.getAllByRole('treeitem').map((row) => row.textContent)).toContain('count:0')
    const diff = panel.getByRole('region', { name: 'Diff against live' })
    expect(within(diff).getByRole('list', { name: 'Diff of ui › count' }).textContent).toBe('·0→2')
  })

  it('steps back and forward over positions before each step, and the last position is live', async () => {
    const { panel, shadow, txns, state } = await openTimeTravel()
    const [setFilter, firstInc, secondInc] = txns as [number, number, number]
    expect(slider(panel).value).toBe('3')
    await click(panel, '◀ Step back')
    expect(state()).toMatchObject({ filter: 'open', count: 1 })
    expect(status(panel)).toBe(`Paused at txn #${secondInc} (before)`)
    expect(slider(panel).value).toBe('2')
    await click(panel, '◀ Step back')
    await click(panel, '◀ Step back')
    expect(state()).toMatchObject({ filter: 'all', count: 0 })
    expect(status(panel)).toBe(`Paused at txn #${setFilter} (before)`)
    expect((panel.getByRole('button', { name: '◀ Step back' }) as HTMLButtonElement).disabled).toBe(true)

    await click(panel, 'Step forward ▶')
    expect(state()).toMatchObject({ filter: 'open', count: 0 })
    expect(status(panel)).toBe(`Paused at txn #${firstInc} (before)`)
    await click(panel, 'Step forward ▶')
    await click(panel, 'Step forward ▶')
    expect(state()).toMatchObject({ filter: 'open', count: 2 })
    expect(status(panel)).toBe('Live')
    expect(modeBadge(shadow)).toBe('Live')
    expect((panel.getByRole('button', { name: 'Resume live' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('moves with the slider and plays the history back to live', async () => {
    const { panel, txns, state } = await openTimeTravel()
    await act(async () => fireEvent.change(slider(panel), { target: { value: '1' } }))
    await nextFrame()
    expect(status(panel)).toBe(`Paused at txn #${txns[1]} (before)`)
    expect(state()).toMatchObject({ filter: 'open', count: 0 })

    fireEvent.change(panel.getByRole('combobox', { name: 'Speed' }), { target: { value: '8' } })
    await click(panel, '▶ Play')
    const seen: number[] = []
    while (status(panel) !== 'Live') {
      await act(async () => new Promise((done) => setTimeout(done, 130)))
      seen.push(state().count)
    }
    expect(seen.at(-1)).toBe(2)
    expect([...new Set(seen)]).toEqual([1, 2])
    expect(panel.getByRole('button', { name: '▶ Play' })).toBeTruthy()
  })

  it('says that the app keeps working while paused, and resumes to the true latest state', async () => {
    const { panel, runtime, txns, state } = await openTimeTravel()
    fireEvent.click(option(panel, 'History of ui', `#${txns[0]}`))
    await click(panel, `Jump to before #${txns[0]}`)
    runtime.store(ui).actions.inc()
    await nextFrame()
    expect(state()).toMatchObject({ filter: 'all', count: 1 })
    expect(panel.getByRole('note').textContent).toMatch(/^1 live change while paused: the app kept working/)
    await click(panel, 'Resume live')
    // The commit made while paused comes back as what it recorded (count set to 1), on the true
    // state: recipes are never re-run.
    expect(state()).toMatchObject({ filter: 'open', count: 1 })
    expect(panel.queryByRole('note')).toBeNull()
  })

  it('refuses to skip a transaction a later one depends on, and says why', async () => {
    const { panel, txns, state } = await openTimeTravel()
    fireEvent.click(option(panel, 'History of ui', `#${txns[1]}`))
    await click(panel, `Skip #${txns[1]}`)
    expect(panel.getByRole('alert').textContent).toMatch(
      new RegExp(`^Cannot skip #${txns[1]}: #${txns[2]} depends on #${txns[1]}: it changed ui › count`),
    )
    expect(state()).toMatchObject({ count: 2 })
    fireEvent.click(option(panel, 'History of ui', `#${txns[0]}`))
    await click(panel, `Skip #${txns[0]}`)
    expect(state()).toMatchObject({ filter: 'all', count: 2 })
    expect(status(panel)).toBe(`Skipping #${txns[0]}`)
    await click(panel, `Include #${txns[0]}`)
    expect(state()).toMatchObject({ filter: 'open', count: 2 })
    expect(status(panel)).toBe('Live')
  })

  it('keeps the pause across closing and reopening the panel', async () => {
    const { panel, shadow, txns } = await openTimeTravel()
    await click(panel, '◀ Step back')
    await click(panel, 'Close the devtools panel')
    await click(panel, 'Atoma devtools')
    expect(modeBadge(shadow)).toBe(`Paused at txn #${txns[2]} (ui, before)`)
  })

  it('reports a jump the runtime refuses instead of failing', async () => {
    const { panel, runtime, txns } = await openTimeTravel()
    fireEvent.click(option(panel, 'History of ui', `#${txns[0]}`))
    runtime.dispose()
    await click(panel, `Jump to before #${txns[0]}`)
    expect(panel.getByRole('alert').textContent).toMatch(
      /^Time travel failed: runtime 'test-\d+' is no longer registered/,
    )
  })

  it('travels an imported recording in a runtime rebuilt from it, read-only', async () => {
    const runtime = testRuntime({ seed: [{ id: 1, title: 'first', done: false }] })
    const store = runtime.store(todos)
    runtime.transact(todos, (draft) => void draft.set(2, { id: 2, title: 'second', done: false }), {
      kind: 'sync',
    })
    const done = runtime.transact(
      todos,
      (draft) => void draft.set(1, { id: 1, title: 'first', done: true }),
      {
        kind: 'sync',
      },
    )
    const recording = exportRecording()
    runtime.dispose()
    const { panel, shadow } = await renderPanel({ initialOpen: true, initialTab: 'travel', recording })
    fireEvent.change(panel.getByRole('combobox', { name: 'Store' }), { target: { value: 'todos' } })
    await nextFrame()
    expect(optionTexts(panel, 'History of todos').length).toBeGreaterThanOrEqual(3)
    fireEvent.click(option(panel, 'History of todos', `#${done.txnId}`))
    await click(panel, `Jump to before #${done.txnId}`)
    expect(modeBadge(shadow)).toMatch(/^Recording \(read-only\) · Paused at txn #\d+ \(todos, before\)$/)
    fireEvent.click(panel.getByRole('tab', { name: 'State' }))
    fireEvent.change(panel.getByRole('combobox', { name: 'Store' }), { target: { value: 'todos' } })
    const rows = within(panel.getByRole('tree', { name: 'State of todos' })).getAllByRole('treeitem')
    expect(rows.map((row) => row.textContent)).toContain('▸1:{id: 1, title: "first", done: false}')
    // The live runtime was never touched: it is gone, and the recording's runtime is not in the hub.
    expect(store.getState().get(1)?.done).toBe(true)
  })
})
