import {
  type CollectionDef,
  createRuntime,
  defineCollection,
  defineStore,
  type StoreDef,
  type TxnRecord,
} from '@atoma/runtime'
import { describe, expectTypeOf, it } from 'vitest'

interface Todo {
  id: string
  title: string
}
type Filter = 'all' | 'open' | 'done'
interface Ui {
  filter: Filter
  count: number
}

describe('definition types', () => {
  it('defineStore<S>()(name, options): an explicit state type, payloads still inferred', () => {
    const ui = defineStore<Ui>()('ui', {
      initial: { filter: 'all', count: 0 },
      actions: {
        setFilter: (draft, filter: Filter) => {
          draft.filter = filter
        },
        bump: (draft) => {
          draft.count++
        },
      },
    })
    expectTypeOf(ui.initial).toEqualTypeOf<Ui>()
    const handle = createRuntime({ stores: [ui] }).store(ui)
    // The literal union does not widen to string.
    expectTypeOf(handle.getState().filter).toEqualTypeOf<Filter>()
    expectTypeOf(handle.actions.setFilter).parameters.toEqualTypeOf<[payload: Filter]>()
    expectTypeOf(handle.actions.bump()).toEqualTypeOf<TxnRecord<Ui>>()
    // @ts-expect-error the payload is the recipe's parameter type
    handle.actions.setFilter('everything')
    // @ts-expect-error the initial state must be a Ui
    defineStore<Ui>()('bad', { initial: { filter: 'some', count: 0 } })
  })

  it('defineStore(name, options) infers both from the options', () => {
    const counter = defineStore('counter', {
      initial: { n: 0 },
      actions: {
        add: (d, by: number) => {
          d.n += by
        },
      },
    })
    expectTypeOf(counter).toEqualTypeOf<StoreDef<{ n: number }, { add: number }>>()
  })

  it('a collection has the item type it is given, or its schema’s output; never { id: any }', () => {
    expectTypeOf(defineCollection<Todo>('todos', { key: 'id' })).toEqualTypeOf<CollectionDef<Todo>>()
    // @ts-expect-error the key must be a field of the item
    defineCollection<Todo>('todos', { key: 'nope' })
    // @ts-expect-error without a type argument or a schema there is no item type to infer
    defineCollection('untyped', { key: 'id' })
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => ({ value: value as Todo }),
        types: undefined as unknown as { input: unknown; output: Todo },
      },
    }
    expectTypeOf(defineCollection('schema-typed', { key: 'id', schema })).toEqualTypeOf<CollectionDef<Todo>>()
  })
})
