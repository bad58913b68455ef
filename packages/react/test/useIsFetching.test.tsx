import {
  useInvalidate,
  useIsFetching,
  useIsMutating,
  useMutation,
  useMutationState,
  useQuery,
  useQueryClient,
} from '@atoma/react'
import { defineCollection, memoryBackend } from '@atoma/runtime'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { countQueries, gated, makeRuntime, strictWrapper, type Todo, todo, todos } from './helpers.js'

describe('cache-wide hooks', () => {
  it('useIsFetching counts fetching Atoma queries, of all collections or one', async () => {
    const notes = defineCollection<{ id: string }>('notes', { key: 'id' })
    const backend = gated(memoryBackend({ seed: { todos: [todo('1')] } }))
    const runtime = makeRuntime({ plugins: [backend], stores: [todos, notes] })
    const { result } = renderHook(
      () => ({
        all: useIsFetching(),
        todos: useIsFetching(todos),
        done: useIsFetching(todos, { done: true }),
        notes: useIsFetching(notes),
        a: useQuery(todos, { where: { done: false } }),
        b: useQuery(todos, { where: { done: true } }),
        c: useQuery(notes, {}),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    await waitFor(() => expect(result.current.all).toBe(3))
    expect(result.current).toMatchObject({ todos: 2, done: 1, notes: 1 })
    await waitFor(() => expect(backend.held()).toBeGreaterThanOrEqual(3))
    await act(() => backend.release())
    await waitFor(() => expect(result.current.all).toBe(0))
  })

  it('useIsMutating and useMutationState follow the writes of useMutation, with their variables', async () => {
    // Writes wait until the test lets them through.
    let open: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const runtime = makeRuntime({
      plugins: [
        {
          name: 'slow-writes',
          setup(ctx) {
            const inner = memoryBackend()
            inner.setup({
              ...ctx,
              execution: {
                registerNode: (node) =>
                  ctx.execution.registerNode({
                    ...node,
                    write: async (input) => {
                      await gate
                      return node.write!(input)
                    },
                  }),
              },
            })
          },
        },
      ],
    })
    const { result } = renderHook(
      () => ({
        mutating: useIsMutating(todos),
        titles: useMutationState<Todo, Todo, string>({
          collection: todos,
          status: 'pending',
          select: (mutation) => mutation.state.variables?.title ?? '',
        }),
        create: useMutation(todos, (write, item: Todo) => write.create(item)),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    act(() => {
      result.current.create.mutate(todo('1', 'first'))
      result.current.create.mutate(todo('2', 'second'))
    })
    await waitFor(() => expect(result.current.mutating).toBe(2))
    expect(result.current.titles).toEqual(['first', 'second'])
    open()
    await waitFor(() => expect(result.current.mutating).toBe(0))
    expect(result.current.titles).toEqual([])
  })

  it('useQueryClient is the provider’s; invalidate(collection, where) refetches the active queries that match', async () => {
    const backend = countQueries(memoryBackend({ seed: { todos: [todo('1')] } }))
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(
      () => ({
        client: useQueryClient(),
        invalidate: useInvalidate(),
        open: useQuery(todos, { where: { done: false, title: 'todo 1' } }),
        done: useQuery(todos, { where: { done: true } }),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    await waitFor(() => expect(result.current.open.isSuccess && result.current.done.isSuccess).toBe(true))
    expect(result.current.client.getQueryCache().findAll({ queryKey: ['atoma', 'todos'] })).toHaveLength(2)
    expect(backend.queries()).toBe(2)
    await act(() => result.current.invalidate(todos, { done: false }))
    expect(backend.queries()).toBe(3)
    await act(() => result.current.invalidate(todos))
    expect(backend.queries()).toBe(5)
  })
})
