import {
  shallow,
  type UseMutationResult,
  useActions,
  useDispatch,
  useEntity,
  useMutation,
  useQuery,
  useStore,
  useSuspenseQuery,
} from '@atoma/react'
import type { AtomaError, CollectionState, TxnRecord, WriteResult } from '@atoma/runtime'
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
})
