import { QueryClient } from '@tanstack/query-core'
import { act, fireEvent, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { nextFrame, option, optionTexts, renderPanel, SERVER_TODOS, testRuntime, todos } from './helpers.js'

/** A runtime with the QueryClient attached the way RuntimeProvider attaches it, and one cached query. */
async function withClient() {
  const runtime = testRuntime({ serverSeed: SERVER_TODOS })
  const client = new QueryClient()
  runtime.debug?.attachQueryClient(client)
  const store = runtime.store(todos)
  let fetches = 0
  const queryFn = () => {
    fetches++
    return store.query({})
  }
  await client.fetchQuery({ queryKey: ['atoma', 'todos', '{}'], queryFn })
  return { runtime, client, queryFn, fetches: () => fetches }
}

describe('Queries view', () => {
  it('lists the query cache with key, status, observers and last update, and refetches, invalidates, removes', async () => {
    const { client, fetches } = await withClient()
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'queries' })
    expect(optionTexts(panel, 'Queries')).toEqual([
      expect.stringMatching(/^inactivetodos · \{\}0 obs\d\d:\d\d:\d\d\.\d{3}$/),
    ])
    fireEvent.click(option(panel, 'Queries', 'todos · {}'))
    const query = within(panel.getByRole('region', { name: 'Query' }))
    expect(query.getByText('items').nextElementSibling?.textContent).toBe('3')
    expect(query.getByText('landed by').nextElementSibling?.textContent).toMatch(/^txn #\d+$/)

    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Refetch' })))
    await nextFrame()
    expect(fetches()).toBe(2)
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Invalidate' })))
    await nextFrame()
    expect(client.getQueryCache().getAll()[0]?.state.isInvalidated).toBe(true)
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Remove' })))
    await nextFrame()
    expect(client.getQueryCache().getAll()).toEqual([])
    expect(panel.getByText('No query in the cache yet.')).toBeTruthy()
  })

  it('triggers an error state and a loading state without a request, and restores them', async () => {
    const { client, fetches } = await withClient()
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'queries' })
    fireEvent.click(option(panel, 'Queries', 'todos · {}'))
    const cached = () => client.getQueryCache().getAll()[0]
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Trigger error' })))
    await nextFrame()
    expect(cached()?.state.status).toBe('error')
    expect(String(cached()?.state.error)).toMatch(/an error triggered from the devtools panel/)
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Restore error' })))
    expect(cached()?.state.status).not.toBe('error')

    const before = fetches()
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Trigger loading' })))
    await nextFrame()
    expect(cached()?.state).toMatchObject({ status: 'pending', fetchStatus: 'fetching', data: undefined })
    expect(fetches()).toBe(before)
    expect(panel.getByRole('button', { name: 'Restore loading' })).toBeTruthy()
  })

  it('says when no QueryClient is attached', async () => {
    testRuntime()
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'queries' })
    expect(panel.getByRole('tabpanel').textContent).toMatch(/^No QueryClient is attached/)
  })
})

describe('Mutations view', () => {
  it('shows a mutation’s variables and status, and its write’s causal chain', async () => {
    const { runtime, client } = await withClient()
    const store = runtime.store(todos)
    const observer = client.getMutationCache().build(client, {
      mutationFn: (title: string) => store.write.patch(1, { title }).unwrap(),
    })
    await act(async () => {
      await observer.execute('renamed from a mutation')
    })
    const { panel } = await renderPanel({ initialOpen: true, initialTab: 'mutations' })
    expect(optionTexts(panel, 'Mutations')).toEqual([
      expect.stringMatching(/^#\d+success"renamed from a mutation"txn #\d+\d\d:\d\d:\d\d\.\d{3}$/),
    ])
    fireEvent.click(option(panel, 'Mutations', 'renamed from a mutation'))
    expect(
      within(panel.getByRole('region', { name: /^Mutation #/ })).getByText('write').nextElementSibling
        ?.textContent,
    ).toBe('confirmed')
    const chain = panel.getByRole('list', { name: 'Causal chain' }).textContent ?? ''
    expect(chain).toMatch(/optimistic #\d+ optimistic:patch \(this one\)/)
    expect(chain).toMatch(/service op todos\/write \(ok/)
    expect(chain).toMatch(/writeback #\d+ writeback/)
  })
})
