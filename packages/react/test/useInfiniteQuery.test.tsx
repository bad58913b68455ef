import { useInfiniteQuery } from '@atoma/react'
import { type AtomaPlugin, memoryBackend } from '@atoma/runtime'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { countQueries, makeRuntime, strictWrapper, type Todo, todo, todos } from './helpers.js'

const ids = Array.from({ length: 25 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`)
const orderBy = [['id', 'asc']] as const
const seed: Todo[] = ids.map((id) => todo(id))

/**
 * The backends an infinite list runs over. The reference server (`@atoma/server` over `httpBackend`)
 * joins this list once it answers query cursors (see the report of issue 15: its keyset condition
 * and `cursor` in the query result); the memory node answers them today.
 */
const backends: Array<[string, () => Promise<{ plugin: AtomaPlugin; close: () => Promise<void> }>]> = [
  ['memory node', async () => ({ plugin: memoryBackend({ seed: { todos: seed } }), close: async () => {} })],
]

describe.each(backends)('useInfiniteQuery over the %s', (_, start) => {
  it('loads three pages by cursor and keeps an optimistic create where the order puts it', async () => {
    const backend = await start()
    try {
      const counted = countQueries(backend.plugin)
      const runtime = makeRuntime({ plugins: [counted] })
      const { result } = renderHook(
        () =>
          useInfiniteQuery(
            todos,
            { where: { done: false }, orderBy, limit: 10 },
            { getNextPageParam: (last) => last.meta.cursor },
          ),
        { wrapper: strictWrapper(runtime) },
      )
      expect(result.current.status).toBe('pending')
      expect(result.current.data).toBeUndefined()
      await waitFor(() => expect(result.current.isSuccess).toBe(true))
      expect(result.current.items.map((t) => t.id)).toEqual(ids.slice(0, 10))
      expect(result.current.hasNextPage).toBe(true)
      await act(() => result.current.fetchNextPage())
      await waitFor(() => expect(result.current.data?.pages).toHaveLength(2))
      // An optimistic create sorting into page 2 shows there at once; one sorting past the
      // loaded pages belongs to a page not loaded yet.
      act(() => {
        void runtime.store(todos).write.create(todo('t15b'))
        void runtime.store(todos).write.create(todo('t99'))
      })
      expect(result.current.data?.pages[1]?.items.map((t) => t.id)).toEqual([
        ...ids.slice(10, 15),
        't15b',
        ...ids.slice(15, 20),
      ])
      expect(result.current.items.map((t) => t.id)).not.toContain('t99')
      await act(() => result.current.fetchNextPage())
      await waitFor(() => expect(result.current.data?.pages).toHaveLength(3))
      expect(result.current.hasNextPage).toBe(false)
      const pages = result.current.data?.pages.map((page) => page.items.map((t) => t.id))
      // Page 3 is the last: open at its end, so t99 (confirmed since) is on it.
      expect(pages).toEqual([
        ids.slice(0, 10),
        [...ids.slice(10, 15), 't15b', ...ids.slice(15, 20)],
        [...ids.slice(20), 't99'],
      ])
      expect(result.current.data?.pageParams).toHaveLength(3)
      expect(typeof result.current.data?.pageParams[1]).toBe('string')
      expect(counted.queries()).toBe(3)
      // Still kept after a refetch of every page.
      await act(() => result.current.refetch())
      expect(result.current.items.filter((t) => t.id === 't15b')).toHaveLength(1)
    } finally {
      await backend.close()
    }
  })
})

describe('useInfiniteQuery', () => {
  it('pages by offset when getNextPageParam answers numbers', async () => {
    const runtime = makeRuntime({ plugins: [memoryBackend({ seed: { todos: seed } })] })
    const { result } = renderHook(
      () =>
        useInfiniteQuery(
          todos,
          { orderBy, limit: 10 },
          {
            initialPageParam: 0,
            getNextPageParam: (last, all) => (last.items.length < 10 ? undefined : all.length * 10),
          },
        ),
      { wrapper: strictWrapper(runtime) },
    )
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    await act(() => result.current.fetchNextPage())
    await act(() => result.current.fetchNextPage())
    await waitFor(() => expect(result.current.hasNextPage).toBe(false))
    expect(result.current.items.map((t) => t.id)).toEqual(ids)
    expect(result.current.data?.pageParams).toEqual([0, 10, 20])
  })

  it('a cursor of another query is a VALIDATION error, not a page', async () => {
    const runtime = makeRuntime({ plugins: [memoryBackend({ seed: { todos: seed } })] })
    const first = await runtime.store(todos).query({ orderBy: [['title', 'asc']], limit: 5 })
    const { result } = renderHook(
      () =>
        useInfiniteQuery(
          todos,
          { orderBy, limit: 5 },
          { initialPageParam: first.meta.cursor, getNextPageParam: (last) => last.meta.cursor },
        ),
      { wrapper: strictWrapper(runtime) },
    )
    await waitFor(() => expect(result.current.isError).toBe(true))
    expect(result.current.error?.code).toBe('VALIDATION')
    expect(result.current.error?.message).toMatch(/after is a cursor of another query/)
  })
})
