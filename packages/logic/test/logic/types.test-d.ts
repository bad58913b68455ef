import {
  computed,
  defineLogic,
  type LogicStatus,
  link,
  type SourceState,
  source,
  sourceIdle,
} from '@atoma/logic'
import { type CollectionState, defineCollection, defineStore, type TxnRecord } from '@atoma/runtime'
import { describe, expectTypeOf, it } from 'vitest'

type Filter = 'all' | 'open' | 'done'
interface Todo {
  id: string
  title: string
}
const ui = defineStore('ui', {
  initial: { filter: 'all' as Filter, draft: '', count: 0 },
  actions: {
    setFilter: (draft, filter: Filter) => {
      draft.filter = filter
    },
    edit: (draft, text: string) => {
      draft.draft = text
    },
    bump: (draft) => {
      draft.count++
    },
  },
})
const todos = defineCollection<Todo>('todos', { key: 'id' })

describe('handler types come from the definitions', () => {
  it('onAction: the payload is the action’s; a predicate gives the union, narrowed by the action name', () => {
    defineLogic('types', ($) => {
      $.onAction(ui, 'setFilter', ({ payload, action, signal }) => {
        expectTypeOf(payload).toEqualTypeOf<Filter>()
        expectTypeOf(action).toEqualTypeOf<'setFilter'>()
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
      })
      $.onAction(ui, 'bump', ({ payload }) => {
        // A recipe without a payload parameter takes anything (as `handle.actions.bump()` does).
        expectTypeOf(payload).toEqualTypeOf<unknown>()
      })
      // @ts-expect-error not an action of ui
      $.onAction(ui, 'setfilter', () => {})
      $.onAction(
        ui,
        (event) => event.action !== 'bump',
        (ctx) => {
          // TypeScript infers the predicate as a type guard: the context leaves out 'bump'.
          expectTypeOf(ctx.action).toEqualTypeOf<'setFilter' | 'edit'>()
          if (ctx.action === 'setFilter') expectTypeOf(ctx.payload).toEqualTypeOf<Filter>()
          if (ctx.action === 'edit') expectTypeOf(ctx.payload).toEqualTypeOf<string>()
        },
      )
      $.onAction(
        ui,
        (event) => event.payload === 'x' || event.action === 'bump',
        (ctx) => {
          expectTypeOf(ctx.action).toEqualTypeOf<'setFilter' | 'edit' | 'bump'>()
        },
      )
      $.onAction(
        ui,
        (event): event is { action: 'edit'; payload: string } => event.action === 'edit',
        ({ payload }) => {
          expectTypeOf(payload).toEqualTypeOf<string>()
        },
      )
    })
  })

  it('onState: the value is the selector’s; on: the source’s', () => {
    defineLogic('state', ($) => {
      $.onState(
        ui,
        (s) => s.filter,
        ({ value, previous }) => {
          expectTypeOf(value).toEqualTypeOf<Filter>()
          expectTypeOf(previous).toEqualTypeOf<Filter>()
        },
        { mode: 'latest', isEqual: (a, b) => a === b },
      )
      $.onState(
        todos,
        (s) => s.size,
        ({ value }) => {
          expectTypeOf(value).toEqualTypeOf<number>()
        },
      )
      $.on(
        $.use(ui).changes((s) => s.count),
        ({ value }) => {
          expectTypeOf(value).toEqualTypeOf<number>()
        },
      )
      // @ts-expect-error not a mode
      $.onState(
        ui,
        (s) => s.count,
        () => {},
        { mode: 'debounce' },
      )
    })
  })

  it('readers and the run context dispatch with the action’s payload; a collection reader cannot dispatch', () => {
    const other = defineLogic('other', () => {})
    defineLogic('readers', ($) => {
      const reader = $.use(ui)
      expectTypeOf(reader.read()).toEqualTypeOf<{ filter: Filter; draft: string; count: number }>()
      expectTypeOf(reader.read((s) => s.draft)).toEqualTypeOf<string>()
      expectTypeOf(reader.dispatch('setFilter', 'done')).toEqualTypeOf<
        TxnRecord<{ filter: Filter; draft: string; count: number }>
      >()
      // @ts-expect-error the payload is the recipe's parameter type
      reader.dispatch('setFilter', 'everything')
      const collection = $.use(todos)
      expectTypeOf(collection.read()).toEqualTypeOf<CollectionState<Todo>>()
      // @ts-expect-error collections have no actions
      collection.dispatch
      expectTypeOf($.use(other).read()).toEqualTypeOf<LogicStatus>()
      $.onAction(ui, 'edit', async ({ dispatch, write, query, store }) => {
        dispatch(ui, 'edit', 'x')
        dispatch(ui, 'bump')
        // @ts-expect-error a string is not a Filter
        dispatch(ui, 'setFilter', 'x')
        write(todos).create({ id: '1', title: 't' })
        // @ts-expect-error the item must be a Todo
        write(todos).create({ id: 1 })
        expectTypeOf((await query(todos, { where: { title: 't' } })).items).toEqualTypeOf<Todo[]>()
        expectTypeOf(store(ui).read((s) => s.count)).toEqualTypeOf<number>()
      })
    })
  })
})

describe('trait types', () => {
  interface Task {
    assigneeId: string | null
    hours: number
    rate: number
    cost: number
    assignee: SourceState<Todo>
  }
  it('deps are fields of the state type, and a source field starts idle', () => {
    computed(['hours', 'rate'], (s: Task) => s.hours * s.rate)
    // @ts-expect-error 'hour' is not a field of Task
    computed(['hour'], (s: Task) => s.hours)
    source(todos, (s: Task) => s.assigneeId)
    source(
      async (id: string) => ({ id, title: '' }),
      (s: Task) => s.assigneeId,
    )
    // @ts-expect-error the key must be what the query function takes
    source(
      async (id: number) => id,
      (s: Task) => s.assigneeId,
    )
    link(ui, (s) => {
      expectTypeOf(s.filter).toEqualTypeOf<Filter>()
      return s.count
    })
    const initial: Task = { assigneeId: null, hours: 0, rate: 0, cost: 0, assignee: sourceIdle }
    expectTypeOf(initial.assignee.data).toEqualTypeOf<Todo | undefined>()
  })
})
