import {
  type InfinitePage,
  keepPreviousData,
  shallow,
  type UseMutationResult,
  useActions,
  useDispatch,
  useEntity,
  useInfiniteQuery,
  useInvalidate,
  useIsFetching,
  useIsMutating,
  useMutation,
  useMutationState,
  useQuery,
  useQueryClient,
  useStore,
  useSuspenseQuery,
} from '@atoma/react'
import { type AtomaDehydratedState, dehydrate as dehydrateServer, prefetchQuery } from '@atoma/react/server'
import type { AtomaError, CollectionState, Runtime, TxnRecord, WriteResult } from '@atoma/runtime'
import type { QueryClient } from '@tanstack/query-core'
import { describe, expectTypeOf, it } from 'vitest'
import { type Todo, todos, ui } from './helpers.js'

type Ui = { filter: 'all' | 'done'; count: number }

describe('types', () => {
  it('useStore infers the state, and a selector’s slice', () => {
    expectTypeOf(useStore(ui)).toEqualTypeOf<Ui>()
    expectTypeOf(useStore(ui, (s) => s.filter)).toEqualTypeOf<'all' | 'done'>()
    expectTypeOf(useStore(ui, (s) => ({ n: s.count }), shallow)).toEqualTypeOf<{ n: number }>()
    expectTypeOf(useStore(todos)).toEqualTypeOf<CollectionState<Todo>>()
    expectTypeOf(useStore(todos, (s) => s.get('1'))).toEqualTypeOf<Todo | undefined>()
    // @ts-expect-error the selector receives the store's state
    useStore(ui, (s: { other: string }) => s.other)
    // @ts-expect-error isEqual compares slices
    useStore(
      ui,
      (s) => s.count,
      (a: string, b: string) => a === b,
    )
  })

  it('useEntity returns the entity or undefined', () => {
    expectTypeOf(useEntity(todos, '1')).toEqualTypeOf<Todo | undefined>()
  })

  it('useQuery data is the collection’s items, and queries are checked against them', () => {
    const result = useQuery(todos, { where: { done: false }, orderBy: [['title', 'asc']] })
    expectTypeOf(result.data).toEqualTypeOf<readonly Todo[]>()
    expectTypeOf(result.status).toEqualTypeOf<'pending' | 'error' | 'success'>()
    expectTypeOf(result.error).toEqualTypeOf<AtomaError | null>()
    expectTypeOf(useSuspenseQuery(todos, {}).status).toEqualTypeOf<'success' | 'error'>()
    // @ts-expect-error `done` is a boolean
    useQuery(todos, { where: { done: 'yes' } })
    // @ts-expect-error no such field to order by
    useQuery(todos, { orderBy: [['missing', 'asc']] })
  })

  it('useMutation infers its variables from the mutation function', () => {
    const create = useMutation(todos, (write, vars: { title: string }) =>
      write.create({ id: vars.title, title: vars.title, done: false }),
    )
    expectTypeOf(create).toEqualTypeOf<UseMutationResult<Todo, { title: string }>>()
    expectTypeOf(create.mutate).parameter(0).toEqualTypeOf<{ title: string }>()
    expectTypeOf(create.mutateAsync).returns.toEqualTypeOf<Promise<WriteResult<Todo>>>()
    expectTypeOf(create.error).toEqualTypeOf<AtomaError | null>()
    // @ts-expect-error the variables are checked
    create.mutate({ title: 1 })

    const clear = useMutation(todos, (write) => write.delete('1'))
    clear.mutate()

    useMutation(todos, (write, id: string) => write.delete(id), {
      onMutate: (id) => ({ id }),
      onError: (error, id, context) => {
        expectTypeOf(error).toEqualTypeOf<AtomaError>()
        expectTypeOf(id).toEqualTypeOf<string>()
        expectTypeOf(context).toEqualTypeOf<{ id: string } | undefined>()
      },
    })
  })

  it('useDispatch and useActions are typed by the store’s actions', () => {
    const dispatch = useDispatch(ui)
    expectTypeOf(dispatch('setFilter', 'done')).toEqualTypeOf<TxnRecord<Ui>>()
    // @ts-expect-error unknown action
    dispatch('nope')
    const actions = useActions(ui)
    actions.increment()
    // @ts-expect-error wrong payload
    actions.setFilter('some')
  })

  it('useQuery: select changes data’s type; placeholderData and initialData are items', () => {
    const titles = useQuery(todos, {}, { select: (items) => items.map((t) => t.title) })
    expectTypeOf(titles.data).toEqualTypeOf<string[]>()
    expectTypeOf(titles.isPlaceholderData).toEqualTypeOf<boolean>()
    useQuery(todos, { limit: 10 }, { placeholderData: keepPreviousData, initialData: [] })
    useQuery(
      todos,
      {},
      { placeholderData: (previous) => previous ?? [], refetchOnMount: false, refetchOnReconnect: false },
    )
    // @ts-expect-error placeholder items are the collection's
    useQuery(todos, {}, { placeholderData: [{ id: 1 }] })
    // @ts-expect-error select receives the items
    useQuery(todos, {}, { select: (items: string[]) => items })
    // @ts-expect-error a cursor is a string
    useQuery(todos, { after: 5 })
  })

  it('useInfiniteQuery types its pages and page params', () => {
    const list = useInfiniteQuery(todos, { limit: 10 }, { getNextPageParam: (last) => last.meta.cursor })
    expectTypeOf(list.data?.pages).toEqualTypeOf<InfinitePage<Todo>[] | undefined>()
    expectTypeOf(list.items).toEqualTypeOf<readonly Todo[]>()
    expectTypeOf(list.fetchNextPage).returns.toEqualTypeOf<Promise<void>>()
    useInfiniteQuery(todos, {}, { initialPageParam: 0, getNextPageParam: (_last, all) => all.length * 10 })
    // @ts-expect-error getNextPageParam is required
    useInfiniteQuery(todos, {}, {})
    // @ts-expect-error a page param is a cursor, an offset or undefined
    useInfiniteQuery(todos, {}, { getNextPageParam: () => ({ page: 2 }) })
  })

  it('mutation state, per-call callbacks and the cache-wide hooks', () => {
    const create = useMutation(todos, (write, vars: { title: string }) =>
      write.create({ id: vars.title, title: vars.title, done: false }),
    )
    expectTypeOf(create.variables).toEqualTypeOf<{ title: string } | undefined>()
    expectTypeOf(create.submittedAt).toEqualTypeOf<number>()
    create.mutate(
      { title: 'x' },
      {
        onSuccess: (result, vars) => {
          expectTypeOf(result).toEqualTypeOf<WriteResult<Todo>>()
          expectTypeOf(vars).toEqualTypeOf<{ title: string }>()
        },
        onError: (error) => expectTypeOf(error).toEqualTypeOf<AtomaError>(),
      },
    )
    expectTypeOf(useIsFetching(todos, { done: true })).toEqualTypeOf<number>()
    expectTypeOf(useIsMutating()).toEqualTypeOf<number>()
    const titles = useMutationState<Todo, { title: string }, string>({
      collection: todos,
      select: (mutation) => mutation.state.variables?.title ?? '',
    })
    expectTypeOf(titles).toEqualTypeOf<string[]>()
    expectTypeOf(useQueryClient()).toEqualTypeOf<QueryClient>()
    const invalidate = useInvalidate()
    expectTypeOf(invalidate(todos, { done: false })).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error where is checked against the collection's items
    invalidate(todos, { done: 'no' })
  })

  it('the server entry: prefetchQuery and dehydrate', () => {
    const runtime = {} as Runtime
    expectTypeOf(prefetchQuery(runtime, todos, { where: { done: false } })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(dehydrateServer(runtime)).toEqualTypeOf<AtomaDehydratedState>()
    // @ts-expect-error the query is checked against the collection
    prefetchQuery(runtime, todos, { where: { done: 1 } })
  })
})
