import { act, fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { exportRecording } from '../src/recording/exportRecording.js'
import { modeBadge, nextFrame, option, optionTexts, renderPanel, testRuntime, ui } from './helpers.js'

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

describe('Time travel view', () => {
  it('lists the store’s transactions and jumps to any one’s before and after through the runtime', async () => {
    const { panel, shadow, txns, state } = await openTimeTravel()
    const [setFilter, firstInc, secondInc] = txns as [number, number, number]
    expect(
      optionTexts(panel, 'History of ui').map((text) => text.replace(/\d\d:\d\d:\d\d\.\d{3}/, '')),
    ).toEqual([`#${setFilter}action:setFilter`, `#${firstInc}action:inc`, `#${secondInc}action:inclive`])
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

  it('steps back and forward, and resumes live at the latest transaction’s after', async () => {
    const { panel, shadow, txns, state } = await openTimeTravel()
    const [setFilter, firstInc, secondInc] = txns as [number, number, number]
    await click(panel, '◀ Step back')
    expect(state()).toMatchObject({ filter: 'open', count: 1 })
    expect(status(panel)).toBe(`Paused at txn #${firstInc} (after)`)
    await click(panel, '◀ Step back')
    await click(panel, '◀ Step back')
    expect(state()).toMatchObject({ filter: 'all', count: 0 })
    expect(status(panel)).toBe(`Paused at txn #${setFilter} (before)`)
    expect((panel.getByRole('button', { name: '◀ Step back' }) as HTMLButtonElement).disabled).toBe(true)

    await click(panel, 'Step forward ▶')
    expect(state()).toMatchObject({ filter: 'open', count: 0 })
    expect(status(panel)).toBe(`Paused at txn #${setFilter} (after)`)

    await click(panel, 'Resume live')
    expect(state()).toMatchObject({ filter: 'open', count: 2 })
    expect(status(panel)).toBe('Live')
    expect(modeBadge(shadow)).toBe('Live')
    expect(option(panel, 'History of ui', `#${secondInc}`).textContent).toMatch(/live$/)
    expect((panel.getByRole('button', { name: 'Resume live' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('stepping forward onto the latest transaction leaves paused mode', async () => {
    const { panel, state } = await openTimeTravel()
    await click(panel, '◀ Step back')
    await click(panel, 'Step forward ▶')
    expect(state()).toMatchObject({ count: 2 })
    expect(status(panel)).toBe('Live')
  })

  it('keeps the pause across closing and reopening the panel', async () => {
    const { panel, shadow, txns } = await openTimeTravel()
    await click(panel, '◀ Step back')
    await click(panel, 'Close the devtools panel')
    await click(panel, 'Atoma devtools')
    expect(modeBadge(shadow)).toBe(`Paused at txn #${txns[1]} (ui, after)`)
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

  it('is not offered for an imported recording', async () => {
    testRuntime().store(ui).actions.inc()
    const { panel } = await renderPanel({
      initialOpen: true,
      initialTab: 'travel',
      recording: exportRecording(),
    })
    expect(panel.getByRole('tabpanel').textContent).toBe(
      'Time travel needs a live runtime: this is an imported recording, shown read-only.',
    )
    expect(within(panel.getByRole('tabpanel')).queryByRole('button')).toBeNull()
  })
})
