import { act, fireEvent, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { DevtoolsPanel } from '../src/DevtoolsPanel.js'
import { renderPanel } from './helpers.js'

describe('DevtoolsPanel shell', () => {
  it('starts closed with only a toggle, opens on click and moves focus to the selected tab', async () => {
    const { panel, shadow } = await renderPanel()
    const toggle = panel.getByRole('button', { name: 'Atoma devtools' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(panel.queryByRole('tablist')).toBeNull()

    await act(async () => fireEvent.click(toggle))
    // Open, the toggle is the title of the panel's header: it does not float over the page.
    const docked = panel.getByRole('button', { name: 'Atoma devtools' })
    expect(docked.getAttribute('aria-expanded')).toBe('true')
    expect(docked.closest('.atoma-header')).not.toBeNull()
    const selected = panel.getByRole('tab', { selected: true })
    expect(selected.textContent).toBe('Timeline')
    expect(shadow.activeElement).toBe(selected)
    expect(docked.getAttribute('aria-controls')).toBe(
      panel.getByRole('region', { name: 'Atoma devtools' }).id,
    )
  })

  it('Escape closes the panel and gives focus back to the toggle; Escape in the search clears it first', async () => {
    const { panel, shadow } = await renderPanel({ initialOpen: true })
    const search = panel.getByRole('searchbox', { name: 'Search events' })
    fireEvent.change(search, { target: { value: 'todos' } })
    fireEvent.keyDown(search, { key: 'Escape' })
    expect((search as HTMLInputElement).value).toBe('')
    expect(panel.getByRole('tablist')).toBeTruthy()

    fireEvent.keyDown(search, { key: 'Escape' })
    expect(panel.queryByRole('tablist')).toBeNull()
    expect(shadow.activeElement).toBe(panel.getByRole('button', { name: 'Atoma devtools' }))
  })

  it('has ARIA tabs with one tab stop; arrows, Home and End switch views', async () => {
    const { panel, shadow } = await renderPanel({ initialOpen: true })
    const tabs = panel.getAllByRole('tab')
    expect(tabs.map((tab) => tab.textContent)).toEqual([
      'Timeline',
      'Transactions',
      'State',
      'Time travel',
      'Queries',
      'Mutations',
      'Ops',
      'Sync',
    ])
    expect(tabs.map((tab) => tab.tabIndex)).toEqual([0, -1, -1, -1, -1, -1, -1, -1])
    const tabpanel = panel.getByRole('tabpanel')
    expect(tabpanel.getAttribute('aria-labelledby')).toBe(tabs[0]?.id)

    fireEvent.keyDown(tabs[0] as HTMLElement, { key: 'ArrowRight' })
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('Transactions')
    expect(shadow.activeElement?.textContent).toBe('Transactions')
    fireEvent.keyDown(shadow.activeElement as HTMLElement, { key: 'End' })
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('Sync')
    fireEvent.keyDown(shadow.activeElement as HTMLElement, { key: 'ArrowRight' })
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('Timeline')
    fireEvent.keyDown(shadow.activeElement as HTMLElement, { key: 'ArrowLeft' })
    expect(panel.getByRole('tab', { selected: true }).textContent).toBe('Sync')
    expect(panel.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(shadow.activeElement?.id)
  })

  it('renders in its own shadow root, with its styles (and nonce) inside it and none outside', async () => {
    const before = document.querySelectorAll('style, link').length
    const { host, shadow } = await renderPanel({ nonce: 'n0nce' })
    expect(host.tagName.toLowerCase()).toBe('atoma-devtools')
    expect(host.parentElement).toBe(document.body)
    const style = shadow.querySelector('style')
    expect(style?.getAttribute('nonce')).toBe('n0nce')
    expect(style?.textContent).toContain('all: initial')
    expect(shadow.querySelector('.atoma-root')).toBeTruthy()
    expect(document.querySelectorAll('style, link').length).toBe(before)
  })

  it('mounts one host under StrictMode, without warnings, and removes it on unmount', async () => {
    const error = vi.spyOn(console, 'error')
    const { unmount } = render(
      <StrictMode>
        <DevtoolsPanel initialOpen />
      </StrictMode>,
    )
    await act(async () => {})
    expect(document.querySelectorAll('[data-atoma-devtools]')).toHaveLength(1)
    unmount()
    await act(async () => {})
    expect(document.querySelector('[data-atoma-devtools]')).toBeNull()
    expect(error).not.toHaveBeenCalled()
    error.mockRestore()
  })

  it('removes its host element when unmounted', async () => {
    const { unmount } = await renderPanel()
    unmount()
    expect(document.querySelector('[data-atoma-devtools]')).toBeNull()
  })

  it.each([
    ['bottom', 'ArrowUp', 'ArrowDown', 'horizontal'],
    ['right', 'ArrowLeft', 'ArrowRight', 'vertical'],
    ['left', 'ArrowRight', 'ArrowLeft', 'vertical'],
  ] as const)('docks %s and resizes from the keyboard', async (position, grow, shrink, orientation) => {
    const { panel, shadow } = await renderPanel({ initialOpen: true, position, initialSize: 300 })
    const dock = shadow.querySelector('.atoma-dock') as HTMLElement
    expect(dock.dataset.position).toBe(position)
    const handle = panel.getByRole('separator', { name: 'Resize the devtools panel' })
    expect(handle.getAttribute('aria-orientation')).toBe(orientation)
    const size = () => (position === 'bottom' ? dock.style.height : dock.style.width)
    expect(size()).toBe('300px')
    fireEvent.keyDown(handle, { key: grow })
    expect(size()).toBe('324px')
    fireEvent.keyDown(handle, { key: shrink })
    fireEvent.keyDown(handle, { key: shrink })
    expect(size()).toBe('276px')
    expect(handle.getAttribute('aria-valuenow')).toBe('276')
  })
})
