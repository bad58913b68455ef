import { createRuntime, defineCollection, defineStore } from '@atoma/runtime'
import { sync } from '@atoma/sync'
import { act, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { renderPanel } from './helpers.js'

interface Task {
  id: string
  title: string
}
const tasks = defineCollection<Task>('tasks', { key: 'id' })
const disposers: Array<() => void> = []
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose()
})

/** A real sync orchestrator whose server is unreachable: its writes wait in the outbox. */
async function offlineRuntime(label: string) {
  const runtime = createRuntime({
    stores: [tasks],
    plugins: [
      sync({
        baseUrl: 'http://127.0.0.1:9',
        outbox: 'memory',
        fetch: async () => {
          throw new TypeError('fetch failed: offline')
        },
        retry: { baseMs: 5, maxMs: 20 },
        poke: false,
        pullIntervalMs: 0,
      }),
    ],
    policy: 'sync-queue',
    devtools: { label },
  })
  disposers.push(() => runtime.dispose())
  await runtime.ready()
  return runtime
}

describe('Sync view', () => {
  it('shows each syncing runtime: offline, the outbox entry by entry with attempts and the last error', async () => {
    const runtime = await offlineRuntime('synced')
    void runtime.store(tasks).write.create({ id: 't1', title: 'Write the docs' })
    void runtime.store(tasks).write.update('t1', (d) => {
      d.title = 'Write the docs well'
    })
    // Let the push lane fail a few times.
    await act(() => new Promise((resolve) => setTimeout(resolve, 80)))
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'sync' })
    const section = within(panel.getByRole('region', { name: 'Sync · synced' }))
    expect(section.getByText('Online').nextElementSibling?.textContent).toBe('no')
    expect(section.getByText('Pending').nextElementSibling?.textContent).toBe('2 entries')
    expect(section.getByText('Last error', { selector: 'dt' }).nextElementSibling?.textContent).toMatch(
      /^TRANSPORT: .*offline/,
    )
    const rows = within(panel.getByRole('table', { name: 'Outbox of synced' }))
      .getAllByRole('row')
      .slice(1)
    expect(
      rows.map((row) => [...row.querySelectorAll('td')].slice(1, 4).map((td) => td.textContent)),
    ).toEqual([
      ['tasks', 'create', 't1'],
      ['tasks', 'update', 't1'],
    ])
    // The first entry has been tried and failed; the second waits behind it (same id).
    const attempts = rows.map((row) => Number(row.querySelectorAll('td')[5]?.textContent))
    expect(attempts[0]).toBeGreaterThan(0)
    expect(attempts[1]).toBe(0)
  })

  it('says so when no runtime syncs', async () => {
    const plain = defineStore('plain', { initial: { n: 0 } })
    disposers.push(createRuntime({ stores: [plain], devtools: { label: 'plain' } }).dispose)
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'sync' })
    expect(panel.getByText(/No runtime on this page syncs/)).toBeTruthy()
  })
})
