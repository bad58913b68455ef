import {
  type AtomaDehydratedState,
  dehydrate,
  hydrate,
  RuntimeProvider,
  useEntity,
  useInfiniteQuery,
  useQuery,
  useStore,
} from '@atoma/react'
import { prefetchInfiniteQuery, prefetchQuery, queryClientOf, queryKey } from '@atoma/react/server'
import { memoryBackend, type Runtime } from '@atoma/runtime'
import { act } from '@testing-library/react'
import { type ReactNode, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { countQueries, makeRuntime, seedLocal, sleep, todo, todos, ui } from './helpers.js'

function App() {
  const filter = useStore(ui, (s) => s.filter)
  const first = useEntity(todos, '1')
  const { data } = useQuery(todos, { where: { done: false }, orderBy: [['id', 'asc']] })
  return (
    <main>
      <h1>{filter}</h1>
      <h2>{first?.title}</h2>
      <ul>
        {data.map((t) => (
          <li key={t.id}>{t.title}</li>
        ))}
      </ul>
    </main>
  )
}

const tree = (runtime: Runtime, initialState?: AtomaDehydratedState) => (
  <StrictMode>
    <RuntimeProvider runtime={runtime} {...(initialState ? { initialState } : {})}>
      <App />
    </RuntimeProvider>
  </StrictMode>
)

/** Renders on a "server" runtime and returns the HTML and the dehydrated state, as JSON would carry it. */
const items = [todo('1', 'first'), todo('2', 'second'), todo('3', 'third', true)]
/** A client runtime whose backend holds what the server's did, so its first fetch changes nothing. */
const clientRuntime = () => makeRuntime({ plugins: [memoryBackend({ seed: { todos: items } })] })

function serverRender() {
  const server = makeRuntime()
  seedLocal(server, items)
  server.store(ui).actions.setFilter('done')
  const html = renderToString(tree(server))
  const state = JSON.parse(JSON.stringify(dehydrate(server))) as AtomaDehydratedState
  return { html, state }
}

async function hydrateInto(html: string, element: ReactNode) {
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const recoverable = vi.fn()
  const root = await act(async () => hydrateRoot(container, element, { onRecoverableError: recoverable }))
  return { container, recoverable, root }
}

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('server rendering', () => {
  it('renderToString, then hydrateRoot with the dehydrated runtime, without a mismatch', async () => {
    const { html, state } = serverRender()
    expect(html).toContain('<h1>done</h1>')
    expect(html).toContain('<li>first</li><li>second</li>')
    const error = vi.spyOn(console, 'error')
    const client = clientRuntime()
    const { container, recoverable, root } = await hydrateInto(html, tree(client, state))
    expect(error).not.toHaveBeenCalled()
    expect(recoverable).not.toHaveBeenCalled()
    expect(container.innerHTML).toBe(html)
    await act(() => sleep(10))
    expect(container.innerHTML).toBe(html)
    // Hydrated and live: the client runtime drives the page from here.
    act(() => {
      client.store(ui).actions.setFilter('all')
    })
    expect(container.querySelector('h1')?.textContent).toBe('all')
    act(() => root.unmount())
  })

  it('hydrate(runtime, data) before hydrateRoot works the same; without it the mismatch is caught', async () => {
    const { html, state } = serverRender()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const hydrated = clientRuntime()
    hydrate(hydrated, state)
    const good = await hydrateInto(html, tree(hydrated))
    expect(good.recoverable).not.toHaveBeenCalled()
    act(() => good.root.unmount())
    // The same page hydrated by an empty runtime does not match: the check above can fail.
    const bad = await hydrateInto(html, tree(clientRuntime()))
    expect(bad.recoverable).toHaveBeenCalled()
    act(() => bad.root.unmount())
  })

  it('dehydrate carries the runtime and query-core; hydrate lands both, through JSON', async () => {
    const server = makeRuntime({ plugins: [memoryBackend({ seed: { todos: items } })] })
    await prefetchQuery(server, todos, { where: { done: false } })
    const data = JSON.parse(JSON.stringify(dehydrate(server))) as AtomaDehydratedState
    expect(data.runtime).toEqual(server.dehydrate())
    expect(data.queries.queries.map((query) => [query.queryKey, query.state.status])).toEqual([
      [['atoma', 'todos', '{"where":{"done":false}}'], 'success'],
    ])
    const client = makeRuntime()
    await hydrate(client, data)
    expect(client.store(todos).get('2')).toEqual(items[1])
    expect(client.store(todos).get('3')).toBeUndefined()
    expect(queryClientOf(client).getQueryState(queryKey(todos, { where: { done: false } }))?.status).toBe(
      'success',
    )
    await expect(hydrate(client, client.dehydrate() as never)).rejects.toThrow(/not the output of dehydrate/)
  })

  it('prefetchInfiniteQuery carries its pages: the first render has them, no request within staleTime', async () => {
    const many = Array.from({ length: 5 }, (_, i) => todo(`t${i}`))
    const server = makeRuntime({ plugins: [memoryBackend({ seed: { todos: many } })] })
    const query = { orderBy: [['id', 'asc']], limit: 2 } as const
    await prefetchInfiniteQuery(server, todos, query, { pages: 2 })
    const state = JSON.parse(JSON.stringify(dehydrate(server))) as AtomaDehydratedState
    const backend = countQueries(memoryBackend({ seed: { todos: many } }))
    const client = makeRuntime({ plugins: [backend] })
    function Feed() {
      const { items, status, hasNextPage } = useInfiniteQuery(todos, query, {
        staleTime: 60_000,
        getNextPageParam: (last) => last.meta.cursor,
      })
      return (
        <p>
          {status} {String(hasNextPage)}: {items.map((t) => t.id).join(',')}
        </p>
      )
    }
    const html = renderToString(
      <RuntimeProvider runtime={client} initialState={state}>
        <Feed />
      </RuntimeProvider>,
    )
    expect(html.replace(/<!--.*?-->/g, '')).toBe('<p>success true: t0,t1,t2,t3</p>')
    await act(() => sleep(10))
    expect(backend.queries()).toBe(0)
  })
})
