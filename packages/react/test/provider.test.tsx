import {
  dehydrate,
  RuntimeProvider,
  useActions,
  useDispatch,
  useEntity,
  useMutation,
  useQuery,
  useRuntime,
  useStore,
  useSuspenseQuery,
} from '@atoma/react'
import { getDevtoolsSnapshot, memoryBackend, type RuntimeOptions } from '@atoma/runtime'
import { QueryClient } from '@tanstack/query-core'
import { act, render, renderHook, screen } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeRuntime, other, seedLocal, sleep, strictWrapper, todo, todos, ui } from './helpers.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('RuntimeProvider', () => {
  it('hosts the runtime it is given', () => {
    const runtime = makeRuntime()
    const { result } = renderHook(() => useRuntime(), { wrapper: strictWrapper(runtime) })
    expect(result.current).toBe(runtime)
  })

  it('creates one runtime from options, keeps it through StrictMode, and disposes it on unmount', async () => {
    const label = `provider-options-${Math.random()}`
    const options: RuntimeOptions = { stores: [ui], devtools: { label } }
    const instances = () => getDevtoolsSnapshot().instances.filter((i) => i.label.startsWith(label))
    const seen = new Set<unknown>()
    function Probe() {
      seen.add(useRuntime())
      return null
    }
    const { unmount, rerender } = render(
      <StrictMode>
        <RuntimeProvider options={options}>
          <Probe />
        </RuntimeProvider>
      </StrictMode>,
    )
    // StrictMode's simulated unmount must not dispose it.
    await act(() => sleep())
    rerender(
      <StrictMode>
        <RuntimeProvider options={{ ...options }}>
          <Probe />
        </RuntimeProvider>
      </StrictMode>,
    )
    expect(seen.size).toBe(1)
    expect(instances().map((i) => i.label)).toEqual([label])
    unmount()
    await sleep()
    expect(instances()).toEqual([])
  })

  it('hydrates initialState once, before the first render', () => {
    const server = makeRuntime()
    seedLocal(server, [todo('1', 'from the server')])
    server.store(ui).actions.setFilter('done')
    const data = JSON.parse(JSON.stringify(dehydrate(server)))
    const client = makeRuntime()
    const firstRender: unknown[] = []
    function Probe() {
      const filter = useStore(ui, (s) => s.filter)
      const entity = useEntity(todos, '1')
      if (firstRender.length === 0) firstRender.push(filter, entity?.title)
      return null
    }
    const { rerender } = render(
      <RuntimeProvider runtime={client} initialState={data}>
        <Probe />
      </RuntimeProvider>,
    )
    expect(firstRender).toEqual(['done', 'from the server'])
    act(() => {
      client.store(ui).actions.setFilter('all')
    })
    rerender(
      <RuntimeProvider runtime={client} initialState={data}>
        <Probe />
      </RuntimeProvider>,
    )
    expect(client.store(ui).getState().filter).toBe('all')
  })

  it('uses the QueryClient it is given, and mounts it while mounted', () => {
    const runtime = makeRuntime({ plugins: [memoryBackend()] })
    const queryClient = new QueryClient()
    const mount = vi.spyOn(queryClient, 'mount')
    const unmountClient = vi.spyOn(queryClient, 'unmount')
    function List() {
      useQuery(todos, { where: { done: false } })
      return null
    }
    const { unmount } = render(
      <RuntimeProvider runtime={runtime} queryClient={queryClient}>
        <List />
      </RuntimeProvider>,
    )
    expect(
      queryClient.getQueryCache().find({ queryKey: ['atoma', 'todos', '{"where":{"done":false}}'] }),
    ).toBeDefined()
    expect(mount).toHaveBeenCalledTimes(1)
    unmount()
    expect(unmountClient).toHaveBeenCalledTimes(1)
  })

  it('remounts its tree when given another runtime', () => {
    // Not StrictMode: its doubled mount effects would blur the count of mounts.
    const first = makeRuntime()
    const second = makeRuntime()
    seedLocal(first, [todo('1', 'first')])
    seedLocal(second, [todo('1', 'second')])
    const mounts: string[] = []
    function Title() {
      const entity = useEntity(todos, '1')
      const runtime = useRuntime()
      useEffect(() => {
        mounts.push(runtime === first ? 'first' : 'second')
      }, [runtime])
      return <p>{entity?.title}</p>
    }
    const { rerender } = render(
      <RuntimeProvider runtime={first}>
        <Title />
      </RuntimeProvider>,
    )
    rerender(
      <RuntimeProvider runtime={second}>
        <Title />
      </RuntimeProvider>,
    )
    expect(screen.getByText('second')).toBeDefined()
    expect(mounts).toEqual(['first', 'second'])
    expect(first.listenerCount()).toBe(0)
  })
})

describe('hooks outside RuntimeProvider', () => {
  const cases: [string, () => unknown][] = [
    ['useRuntime', () => useRuntime()],
    ['useStore', () => useStore(ui)],
    ['useEntity', () => useEntity(todos, '1')],
    ['useQuery', () => useQuery(todos, {})],
    ['useSuspenseQuery', () => useSuspenseQuery(todos, {})],
    ['useMutation', () => useMutation(todos, (write, item: ReturnType<typeof todo>) => write.create(item))],
    ['useDispatch', () => useDispatch(other)],
    ['useActions', () => useActions(other)],
  ]
  it.each(cases)('%s throws an error naming itself and RuntimeProvider', (hook, use) => {
    // React logs the error it rethrows; the assertion is on the error itself.
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHook(use)).toThrowError(
      new Error(
        `${hook} must be used inside <RuntimeProvider>: wrap the component tree in ` +
          '<RuntimeProvider runtime={runtime}> (or <RuntimeProvider options={...}>).',
      ),
    )
  })
})
