import { memoryStorage } from '@atoma/journal/memory'
import { persist } from '@atoma/journal/persist'
import { createRuntime, defineStore } from '@atoma/runtime'
import { act, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { renderPanel } from './helpers.js'

const prefs = defineStore('prefs', {
  initial: { theme: 'light' },
  actions: {
    theme: (draft, theme: string) => {
      draft.theme = theme
    },
  },
})
const scratch = defineStore('scratch', { initial: { n: 0 } })
const disposers: Array<() => void> = []
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose()
})

describe('State view: persisted stores', () => {
  it('marks a persisted store and shows its journal: size, commits, last checkpoint, last recovery', async () => {
    const runtime = createRuntime({
      stores: [prefs, scratch],
      plugins: [persist({ stores: [prefs], storage: memoryStorage(), name: 'app' })],
      devtools: { label: 'persisted' },
    })
    disposers.push(() => runtime.dispose())
    await runtime.ready()
    runtime.store(prefs).actions.theme('dark')
    await runtime.persist.flush()
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'state' })
    await act(async () => {})
    const picker = panel.getByRole('combobox', { name: /store/i }) as HTMLSelectElement
    const journal = () => panel.queryByRole('region', { name: 'Journal of prefs' })
    // The picker may open on the other store; choose prefs.
    await act(async () => {
      picker.value = [...picker.options].find((o) => o.textContent?.includes('prefs'))?.value ?? picker.value
      picker.dispatchEvent(new Event('change', { bubbles: true }))
    })
    const section = within(journal() as HTMLElement)
    expect(section.getByText('persisted')).toBeTruthy()
    expect(section.getByText('Status').nextElementSibling?.textContent).toBe('hydrated')
    expect(section.getByText('Size').nextElementSibling?.textContent).toMatch(/\d+ B|kB/)
    expect(section.getByText('Last recovery').nextElementSibling?.textContent).toBe('none')
  })
})
