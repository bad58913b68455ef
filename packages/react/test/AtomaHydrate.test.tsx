import { type AtomaDehydratedState, AtomaHydrate, RuntimeProvider, useQuery } from '@atoma/react'
import { dehydrate, prefetchQuery } from '@atoma/react/server'
import { memoryBackend, type Runtime } from '@atoma/runtime'
import { act, render, screen } from '@testing-library/react'
import { StrictMode, Suspense } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { countQueries, makeRuntime, seedLocal, sleep, todo, todos } from './helpers.js'

const items = [todo('1', 'first'), todo('2', 'second'), todo('3', 'third', true)]
const open = { where: { done: false }, orderBy: [['id', 'asc']] } as const
const page = { orderBy: [['id', 'asc']], limit: 2, offset: 1 } as const

function List({ label, query }: { label: string; query: typeof open | typeof page }) {
  const { data, status } = useQuery(todos, query, { staleTime: 60_000 })
  return (
    <p>
      {label} {status}: {data.map((t) => t.title).join(',')}
    </p>
  )
}

/** The server's render of a route: a runtime of its own, prefetched, rendered and dehydrated. */
async function serverRoute(query: typeof open | typeof page, label: string) {
  const server = makeRuntime({ plugins: [memoryBackend({ seed: { todos: items } })] })
  await prefetchQuery(server, todos, query)
  const state = JSON.parse(JSON.stringify(dehydrate(server))) as AtomaDehydratedState
  const element = (runtime: Runtime) => (
    <StrictMode>
      <RuntimeProvider runtime={runtime}>
        <Suspense fallback={<p>loading</p>}>
          <AtomaHydrate state={state}>
            <List label={label} query={query} />
          </AtomaHydrate>
        </Suspense>
      </RuntimeProvider>
    </StrictMode>
  )
  return { html: renderToString(element(server)), state, element }
}

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('SSR that carries status', () => {
  it('renderToString of a prefetched page says success with the data; hydration makes no request within staleTime', async () => {
    const { html, element } = await serverRoute(page, 'page')
    expect(html.replace(/<!--.*?-->/g, '')).toContain('<p>page success: second,third</p>')
    const backend = countQueries(memoryBackend({ seed: { todos: items } }))
    const client = makeRuntime({ plugins: [backend] })
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const error = vi.spyOn(console, 'error')
    const recoverable = vi.fn()
    const root = await act(async () =>
      hydrateRoot(container, element(client), { onRecoverableError: recoverable }),
    )
    await act(() => sleep(20))
    expect(recoverable).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
    expect(container.innerHTML).toBe(html)
    expect(backend.queries()).toBe(0)
    // Hydrated and live: an optimistic create on the page's part of the order shows.
    act(() => {
      void client.store(todos).write.create(todo('2b', 'second and a half'))
    })
    expect(container.textContent).toBe('page success: second,second and a half,third')
    act(() => root.unmount())
  })

  it('a route boundary merges its server data into a runtime that already holds data, keeping pending writes', async () => {
    const backend = countQueries(memoryBackend({ seed: { todos: items } }))
    const client = makeRuntime({ plugins: [backend] })
    // The client already holds an item and a pending create of its own.
    seedLocal(client, [todo('9', 'mine')])
    void client.store(todos).write.create(todo('8', 'pending'))
    const { state } = await serverRoute(open, 'route')
    render(
      <StrictMode>
        <RuntimeProvider runtime={client}>
          <Suspense fallback={<p>loading</p>}>
            <AtomaHydrate state={state}>
              <List label="route" query={open} />
            </AtomaHydrate>
          </Suspense>
        </RuntimeProvider>
      </StrictMode>,
    )
    // The merge lands before the route renders: never a view without the server's items.
    await screen.findByText('route success: first,second,pending,mine')
    expect(client.store(todos).get('9')?.title).toBe('mine')
    await act(() => sleep(20))
    expect(backend.queries()).toBe(0)
  })
})
