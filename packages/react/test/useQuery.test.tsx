import { RuntimeProvider, useQuery, useSuspenseQuery } from '@atoma/react'
import { AtomaError, type AtomaPlugin, createRuntime, memoryBackend } from '@atoma/runtime'
import { onlineManager } from '@tanstack/query-core'
import { act, render, renderHook, screen, waitFor } from '@testing-library/react'
import { Component, type ReactNode, StrictMode, Suspense } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  countQueries,
  gated,
  makeRuntime,
  other,
  scriptedBackend,
  seedLocal,
  sleep,
  strictWrapper,
  type Todo,
  todo,
  todos,
  ui,
} from './helpers.js'

afterEach(() => {
  vi.restoreAllMocks()
})

const seeded = (items: Todo[]) => memoryBackend({ seed: { todos: items } })

describe('useQuery', () => {
  it('shows the local evaluation while pending, then the fetched items from the store', async () => {
    const backend = countQueries(seeded([todo('1', 'one'), todo('2', 'two', true), todo('3', 'three')]))
    const runtime = makeRuntime({ plugins: [backend] })
    seedLocal(runtime, [todo('1', 'one (local)')])
    const { result } = renderHook(
      () => useQuery(todos, { where: { done: false }, orderBy: [['id', 'asc']] }),
      {
        wrapper: strictWrapper(runtime),
      },
    )
    expect(result.current.status).toBe('pending')
    expect(result.current.data.map((t) => t.title)).toEqual(['one (local)'])
    await waitFor(() => expect(result.current.status).toBe('success'))
    expect(result.current.data.map((t) => t.title)).toEqual(['one', 'three'])
    expect(result.current.error).toBeNull()
    expect(result.current.isFetching).toBe(false)
    expect(backend.queries()).toBe(1)
  })

  it('two components with the same query make one backend call', async () => {
    const backend = countQueries(seeded([todo('1')]))
    const runtime = makeRuntime({ plugins: [backend] })
    function List({ label }: { label: string }) {
      // Equal queries written differently share the cache entry.
      const query =
        label === 'a' ? { where: { done: false }, limit: 10 } : { limit: 10, where: { done: false } }
      const { data, status } = useQuery(todos, query)
      return (
        <p>
          {label}:{status}:{data.length}
        </p>
      )
    }
    render(
      <>
        <List label="a" />
        <List label="b" />
      </>,
      { wrapper: strictWrapper(runtime) },
    )
    await screen.findByText('a:success:1')
    await screen.findByText('b:success:1')
    expect(backend.queries()).toBe(1)
  })

  it('keeps data referentially stable while its items are the same', async () => {
    const runtime = makeRuntime({ plugins: [seeded([todo('1'), todo('2')])] })
    const { result } = renderHook(() => useQuery(todos, { where: { done: false } }), {
      wrapper: strictWrapper(runtime),
    })
    await waitFor(() => expect(result.current.status).toBe('success'))
    const data = result.current.data
    expect(data).toHaveLength(2)
    // A refetch returning the same items, a commit on another store, a write outside the query.
    await act(() => result.current.refetch())
    act(() => {
      runtime.store(other).actions.bump()
      runtime.store(todos).write.upsert(todo('9', 'done already', true))
    })
    expect(result.current.data).toBe(data)
    act(() => {
      runtime.store(todos).write.patch('2', { title: 'renamed' })
    })
    expect(result.current.data).not.toBe(data)
    expect(result.current.data[0]).toBe(data[0])
  })

  it('shows a matching optimistic create at once, in the same act', async () => {
    const runtime = makeRuntime({ plugins: [seeded([todo('1')])] })
    const { result } = renderHook(() => useQuery(todos, { where: { done: false } }), {
      wrapper: strictWrapper(runtime),
    })
    await waitFor(() => expect(result.current.status).toBe('success'))
    act(() => {
      void runtime.store(todos).write.create(todo('2', 'new'))
      void runtime.store(todos).write.create(todo('3', 'not matching', true))
    })
    expect(result.current.data.map((t) => t.id)).toEqual(['1', '2'])
  })

  it('refetch goes to the backend again; enabled: false does not fetch', async () => {
    const backend = countQueries(seeded([todo('1')]))
    const runtime = makeRuntime({ plugins: [backend] })
    const { result, rerender } = renderHook(({ enabled }) => useQuery(todos, {}, { enabled }), {
      wrapper: strictWrapper(runtime),
      initialProps: { enabled: false },
    })
    await act(() => sleep(10))
    expect(backend.queries()).toBe(0)
    expect(result.current.status).toBe('pending')
    rerender({ enabled: true })
    await waitFor(() => expect(result.current.status).toBe('success'))
    await act(() => result.current.refetch())
    expect(backend.queries()).toBe(2)
  })

  it('with retry: 2 calls the backend three times, then reports the AtomaError', async () => {
    const backend = scriptedBackend({
      queryError: () => new AtomaError('NOT_FOUND', 'no such list', { retryable: false }),
    })
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(() => useQuery(todos, {}, { retry: 2, retryDelay: 1 }), {
      wrapper: strictWrapper(runtime),
    })
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(backend.queries()).toBe(3)
    expect(result.current.error).toBeInstanceOf(AtomaError)
    expect(result.current.error?.code).toBe('NOT_FOUND')
    expect(result.current.data).toEqual([])
  })

  it('by default does not retry an error the kernel marks as not retryable', async () => {
    const backend = scriptedBackend({
      queryError: () => new AtomaError('VALIDATION', 'bad query', { retryable: false }),
    })
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(() => useQuery(todos, {}), { wrapper: strictWrapper(runtime) })
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(backend.queries()).toBe(1)
  })

  it('lands with the merge policy it is given', async () => {
    const runtime = makeRuntime({ plugins: [seeded([todo('1')])] })
    seedLocal(runtime, [todo('local-only')])
    const { result } = renderHook(() => useQuery(todos, {}, { merge: 'upsert-only' }), {
      wrapper: strictWrapper(runtime),
    })
    await waitFor(() => expect(result.current.status).toBe('success'))
    expect(result.current.data.map((t) => t.id).sort()).toEqual(['1', 'local-only'])
  })
})

describe('useQuery options (TanStack Query parity)', () => {
  it('select derives data from the live items', async () => {
    const runtime = makeRuntime({ plugins: [seeded([todo('1', 'one'), todo('2', 'two', true)])] })
    const { result } = renderHook(
      () => useQuery(todos, { orderBy: [['id', 'asc']] }, { select: (items) => items.map((t) => t.title) }),
      { wrapper: strictWrapper(runtime) },
    )
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(result.current.data).toEqual(['one', 'two'])
    act(() => {
      void runtime.store(todos).write.create(todo('3', 'three'))
    })
    expect(result.current.data).toEqual(['one', 'two', 'three'])
  })

  it('placeholderData shows while pending with status success; then the fetched page', async () => {
    const backend = gated(seeded([todo('1', 'one')]))
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(
      () => useQuery(todos, { limit: 5 }, { placeholderData: [todo('p', 'placeholder')] }),
      { wrapper: strictWrapper(runtime) },
    )
    expect(result.current).toMatchObject({ status: 'success', isPlaceholderData: true })
    expect(result.current.data.map((t) => t.title)).toEqual(['placeholder'])
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.isPlaceholderData).toBe(false))
    expect(result.current.data.map((t) => t.title)).toEqual(['one'])
  })

  it('initialData is success at once, not fetched within staleTime, and its items go live in the store', async () => {
    const backend = countQueries(seeded([]))
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(
      () =>
        useQuery(
          todos,
          { orderBy: [['id', 'asc']], limit: 2 },
          {
            initialData: [todo('a'), todo('b')],
            staleTime: 60_000,
          },
        ),
      { wrapper: strictWrapper(runtime) },
    )
    expect(result.current.status).toBe('success')
    expect(result.current.data.map((t) => t.id)).toEqual(['a', 'b'])
    await act(() => sleep(10))
    expect(backend.queries()).toBe(0)
    expect(runtime.store(todos).get('a')).toEqual(todo('a'))
    act(() => {
      void runtime.store(todos).write.patch('a', { title: 'live' })
    })
    expect(result.current.data[0]?.title).toBe('live')
  })

  it('refetchOnMount: false keeps a cached result on a new mount; by default a stale one is fetched', async () => {
    const backend = countQueries(seeded([todo('1')]))
    const runtime = makeRuntime({ plugins: [backend] })
    const first = renderHook(() => useQuery(todos, {}), { wrapper: strictWrapper(runtime) })
    await waitFor(() => expect(first.result.current.isSuccess).toBe(true))
    first.unmount()
    expect(backend.queries()).toBe(1)
    const second = renderHook(() => useQuery(todos, {}, { refetchOnMount: false }), {
      wrapper: strictWrapper(runtime),
    })
    expect(second.result.current.isSuccess).toBe(true)
    await act(() => sleep(10))
    expect(backend.queries()).toBe(1)
    second.unmount()
    const third = renderHook(() => useQuery(todos, {}), { wrapper: strictWrapper(runtime) })
    await waitFor(() => expect(backend.queries()).toBe(2))
    third.unmount()
  })

  it('refetchOnReconnect: false does not fetch when the browser comes back online; by default it does', async () => {
    const backend = countQueries(seeded([todo('1')]))
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(
      () => ({ on: useQuery(todos, {}), off: useQuery(todos, { limit: 1 }, { refetchOnReconnect: false }) }),
      { wrapper: strictWrapper(runtime) },
    )
    await waitFor(() => expect(result.current.on.isSuccess && result.current.off.isSuccess).toBe(true))
    expect(backend.queries()).toBe(2)
    act(() => {
      onlineManager.setOnline(false)
      onlineManager.setOnline(true)
    })
    await waitFor(() => expect(backend.queries()).toBe(3))
    await act(() => sleep(10))
    expect(backend.queries()).toBe(3)
  })
})

describe('one retry layer: the kernel retries reads, query-core does not', () => {
  /** A remote node that cannot be reached: every call fails as TRANSPORT (retryable). */
  function unreachable() {
    // Calls a caller aborted are React 18 StrictMode's simulated unmount (see helpers' countQueries).
    const signals: AbortSignal[] = []
    const plugin: AtomaPlugin = {
      name: 'unreachable',
      setup(ctx) {
        ctx.execution.registerNode({
          id: 'remote',
          source: 'remote',
          query: async ({ signal }) => {
            signals.push(signal)
            throw new AtomaError('TRANSPORT', 'connection refused', { retryable: true })
          },
          write: async () => {
            throw new AtomaError('TRANSPORT', 'connection refused', { retryable: true })
          },
        })
      },
    }
    return { plugin, calls: () => signals.filter((signal) => !signal.aborted).length }
  }

  it('a failing query makes the policy’s attempts and ends with the network error, not CIRCUIT_OPEN', async () => {
    const remote = unreachable()
    const runtime = makeRuntime({ plugins: [remote.plugin], policy: 'direct-http' })
    const { result } = renderHook(() => useQuery(todos, {}), { wrapper: strictWrapper(runtime) })
    await waitFor(() => expect(result.current.isError).toBe(true), { timeout: 5000 })
    await act(() => sleep(50))
    // The kernel's 3 attempts (default policy), one query-core fetch.
    expect(remote.calls()).toBe(3)
    expect(result.current.error?.code).toBe('TRANSPORT')
    expect(result.current.error?.message).toMatch(/connection refused/)
  })
})

class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown }
  static getDerivedStateFromError(error: unknown) {
    return { error }
  }
  override render() {
    return this.state.error ? <p>caught: {(this.state.error as Error).message}</p> : this.props.children
  }
}

describe('useSuspenseQuery', () => {
  it('suspends until the first fetch, then renders from the store', async () => {
    const backend = countQueries(seeded([todo('1', 'one'), todo('2', 'two')]))
    const runtime = makeRuntime({ plugins: [backend] })
    function List() {
      const { data, status } = useSuspenseQuery(todos, { orderBy: [['id', 'desc']] })
      return (
        <p>
          {status}: {data.map((t) => t.title).join(',')}
        </p>
      )
    }
    render(
      <StrictMode>
        <RuntimeProvider runtime={runtime}>
          <Suspense fallback={<p>loading</p>}>
            <List />
          </Suspense>
        </RuntimeProvider>
      </StrictMode>,
    )
    expect(screen.getByText('loading')).toBeDefined()
    await screen.findByText('success: two,one')
    await act(() => sleep(10))
    // Resuming after the suspension does not fetch again.
    expect(backend.queries()).toBe(1)
    act(() => {
      void runtime.store(todos).write.create(todo('3', 'three'))
    })
    expect(screen.getByText('success: three,two,one')).toBeDefined()
  })

  it('throws a failed first fetch to the error boundary', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const runtime = createRuntime({
      stores: [todos, ui],
      plugins: [
        scriptedBackend({
          queryError: () => new AtomaError('NOT_FOUND', 'no list here', { retryable: false }),
        }),
      ],
    })
    function List() {
      const { data } = useSuspenseQuery(todos, {})
      return <p>{data.length}</p>
    }
    render(
      <StrictMode>
        <RuntimeProvider runtime={runtime}>
          <Boundary>
            <Suspense fallback={<p>loading</p>}>
              <List />
            </Suspense>
          </Boundary>
        </RuntimeProvider>
      </StrictMode>,
    )
    await screen.findByText(/caught: .*no list here/)
  })
})
