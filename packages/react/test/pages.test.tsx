import { keepPreviousData, useQuery } from '@atoma/react'
import { memoryBackend } from '@atoma/runtime'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { gated, makeRuntime, strictWrapper, todo, todos } from './helpers.js'

// A paged query shows the page the backend returned, kept live (docs/architecture.md §5).
const ids = Array.from({ length: 30 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`)
const orderBy = [['id', 'asc']] as const
const page = (n: number) => ids.slice((n - 1) * 10, n * 10)

function setup(options: { keepPrevious?: boolean } = {}) {
  const backend = gated(memoryBackend({ seed: { todos: ids.map((id) => todo(id)) } }))
  const runtime = makeRuntime({ plugins: [backend] })
  const seen: Array<{ status: string; fetching: boolean; placeholder: boolean; ids: string }> = []
  const hook = renderHook(
    ({ offset }) => {
      const result = useQuery(
        todos,
        { orderBy, limit: 10, offset },
        options.keepPrevious ? { placeholderData: keepPreviousData } : {},
      )
      seen.push({
        status: result.status,
        fetching: result.isFetching,
        placeholder: result.isPlaceholderData,
        ids: result.data.map((t) => t.id).join(','),
      })
      return result
    },
    { wrapper: strictWrapper(runtime), initialProps: { offset: 0 } },
  )
  return { backend, runtime, seen, ...hook }
}

const shown = (result: { current: { data: readonly { id: string }[] } }) =>
  result.current.data.map((t) => t.id)

describe('a paged query', () => {
  it('page 1 → page 3 shows pending with no items, then page 3: never an empty success', async () => {
    const { backend, result, rerender, seen } = setup()
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.status).toBe('success'))
    expect(shown(result)).toEqual(page(1))
    seen.length = 0
    rerender({ offset: 20 })
    expect(result.current.status).toBe('pending')
    expect(result.current.isFetching).toBe(true)
    expect(shown(result)).toEqual([])
    // The store holds page 1 only: a local evaluation of offset 20 would be an empty page.
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.status).toBe('success'))
    expect(shown(result)).toEqual(page(3))
    expect(seen.filter((s) => s.status === 'success').map((s) => s.ids)).not.toContain('')
    expect(seen.some((s) => s.status === 'success' && s.ids !== page(3).join(','))).toBe(false)
  })

  it('with keepPreviousData shows page 1 (fetching) until page 3 arrives', async () => {
    const { backend, result, rerender, seen } = setup({ keepPrevious: true })
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    seen.length = 0
    rerender({ offset: 20 })
    expect(result.current).toMatchObject({ status: 'success', isFetching: true, isPlaceholderData: true })
    expect(shown(result)).toEqual(page(1))
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.isPlaceholderData).toBe(false))
    expect(shown(result)).toEqual(page(3))
    // Page 1 (a placeholder, fetching) and then page 3, nothing else: never empty.
    expect([...new Set(seen.map((s) => `${s.placeholder ? 'placeholder' : 'page'}:${s.ids}`))]).toEqual([
      `placeholder:${page(1).join(',')}`,
      `page:${page(3).join(',')}`,
    ])
  })

  it('shows an optimistic create where the order puts it on the visible page, also on the previous page while the next fetches', async () => {
    const { backend, result, rerender, runtime } = setup({ keepPrevious: true })
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    rerender({ offset: 20 })
    expect(result.current.isPlaceholderData).toBe(true)
    // Belongs on page 1, which is what shows while page 3 fetches: it appears there at once.
    act(() => {
      void runtime.store(todos).write.create(todo('t05b'))
    })
    expect(shown(result)).toEqual([...page(1).slice(0, 5), 't05b', ...page(1).slice(5)])
    await waitFor(() => expect(backend.held()).toBeGreaterThan(0))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.isPlaceholderData).toBe(false))
    // The page as the backend answered when asked (before t05b): t21…t30.
    expect(shown(result)).toEqual(page(3))
    act(() => {
      void runtime.store(todos).write.create(todo('t25b'))
      // Before the page (page 1's part) and after it (a full page: page 4's part): not shown here.
      void runtime.store(todos).write.create(todo('t00'))
      void runtime.store(todos).write.create(todo('t99'))
    })
    expect(shown(result)).toEqual([...page(3).slice(0, 5), 't25b', ...page(3).slice(5)])
    // Later changes to the page's items show too.
    act(() => {
      void runtime.store(todos).write.patch('t22', { title: 'renamed' })
      void runtime.store(todos).write.delete('t23')
    })
    expect(result.current.data.find((t) => t.id === 't22')?.title).toBe('renamed')
    expect(shown(result)).not.toContain('t23')
  })

  it('the last page is open at its end: a create after its last item shows on it', async () => {
    const backend = memoryBackend({ seed: { todos: ids.map((id) => todo(id)) } })
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(() => useQuery(todos, { orderBy, limit: 20, offset: 20 }), {
      wrapper: strictWrapper(runtime),
    })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(shown(result)).toEqual(page(3))
    act(() => {
      void runtime.store(todos).write.create(todo('t99'))
    })
    expect(shown(result)).toEqual([...page(3), 't99'])
  })
})
