import { computed, defineLogic, inspectLogic, link } from '@atoma/logic'
import {
  createRuntime,
  defineCollection,
  defineStore,
  type Instrumentation,
  memoryBackend,
} from '@atoma/runtime'
import {
  configureStore,
  createListenerMiddleware,
  createSelector,
  createSlice,
  type PayloadAction,
} from '@reduxjs/toolkit'
import { atom, createStore } from 'jotai/vanilla'
import { lcg, type TimedArgs, type Timing, timeOps } from '../harness.js'

interface Item {
  id: number
  done: boolean
}
interface Board {
  items: Item[]
  done: number
}

const makeItems = (size: number): Item[] =>
  Array.from({ length: size }, (_, id) => ({ id, done: id % 3 === 0 }))
/** The derived value every contender computes: O(items), as a real derive over a list is. */
const countDone = (items: Iterable<Item>): number => {
  let n = 0
  for (const item of items) if (item.done) n++
  return n
}

/** A store with a derived count, updated by toggling one item; `read` is what its subscriber last saw. */
interface Derived {
  toggle(i: number): void
  read(): number
}

function atomaComputed(instrumentation: Instrumentation, size: number): Derived {
  const board = defineStore<Board>()('board', {
    initial: { items: makeItems(size), done: 0 },
    actions: {
      toggle: (draft, i: number) => {
        const item = draft.items[i] as Item
        item.done = !item.done
      },
    },
    traits: { done: computed(['items'], (s: Board) => countDone(s.items)) },
  })
  const handle = createRuntime({ stores: [board], instrumentation }).store(board)
  let seen = handle.getState().done
  handle.select(
    (s) => s.done,
    (done) => {
      seen = done
    },
  )
  return { toggle: (i) => handle.actions.toggle(i), read: () => seen }
}

/**
 * The items as Atoma keeps a list of entities (a collection, whose single-entity commit costs the
 * same at any size), the count a `link` into a store: two commits per toggle, the item's and the
 * count's, where a `computed` field (traits live on stores) makes one.
 */
function atomaLink(size: number): Derived {
  const items = defineCollection<Item>('items', { key: 'id' })
  const stats = defineStore('stats', {
    initial: { done: 0 },
    traits: { done: link(items, (s) => countDone(s.values())) },
  })
  const runtime = createRuntime({
    stores: [items, stats],
    plugins: [memoryBackend()],
    instrumentation: 'light',
  })
  runtime.hydrate({
    atoma: 1,
    stores: { items: { entries: makeItems(size).map((item) => [item.id, item]), versions: [] } },
  })
  const handle = runtime.store(stats)
  let seen = handle.getState().done
  handle.select(
    (s) => s.done,
    (done) => {
      seen = done
    },
  )
  const origin = { kind: 'action', name: 'toggle' } as const
  return {
    toggle: (i) =>
      runtime.transact(
        items,
        (draft) => {
          const item = draft.get(i) as Item
          item.done = !item.done
        },
        origin,
      ),
    read: () => seen,
  }
}

/**
 * A computed field over `size` items, each contender the way its library documents derived data:
 * Atoma's `computed` trait over a store's array (recomputed in the action's transaction) and a
 * `link` over a collection, RTK's `createSelector` (reselect) read by the subscriber after each
 * dispatch, a jotai derived atom with a subscriber, and, as the floor, a mutable array whose
 * count is recomputed by hand.
 */
export const computedContenders: readonly {
  name: string
  baseline?: boolean
  make: (size: number) => Derived
}[] = [
  { name: 'atoma computed (light)', make: (size) => atomaComputed('light', size) },
  { name: 'atoma computed (full)', make: (size) => atomaComputed('full', size) },
  { name: 'atoma link over a collection (light)', make: atomaLink },
  {
    name: 'redux toolkit createSelector',
    make(size) {
      const slice = createSlice({
        name: 'board',
        initialState: { items: makeItems(size) },
        reducers: {
          toggle(state, action: PayloadAction<number>) {
            const item = state.items[action.payload] as Item
            item.done = !item.done
          },
        },
      })
      const store = configureStore({ reducer: slice.reducer })
      const selectDone = createSelector([(s: { items: Item[] }) => s.items], countDone)
      let seen = selectDone(store.getState())
      store.subscribe(() => {
        seen = selectDone(store.getState())
      })
      return { toggle: (i) => store.dispatch(slice.actions.toggle(i)), read: () => seen }
    },
  },
  {
    name: 'jotai derived atom',
    make(size) {
      const items = atom(makeItems(size))
      const done = atom((get) => countDone(get(items)))
      const store = createStore()
      let seen = store.get(done)
      store.sub(done, () => {
        seen = store.get(done)
      })
      return {
        toggle: (i) =>
          store.set(items, (prev) => {
            const next = prev.slice()
            const item = prev[i] as Item
            next[i] = { ...item, done: !item.done }
            return next
          }),
        read: () => seen,
      }
    },
  },
  {
    name: 'hand-written',
    baseline: true,
    make(size) {
      const items = makeItems(size)
      const listeners = new Set<() => void>()
      let done = countDone(items)
      let seen = done
      listeners.add(() => {
        seen = done
      })
      return {
        toggle(i) {
          const item = items[i] as Item
          item.done = !item.done
          done = countDone(items)
          for (const listener of listeners) listener()
        },
        read: () => seen,
      }
    },
  },
]

/** One run of `logic`'s computed case for one contender, in this process. */
export function computedProbe({ contender, size, maxOps, budgetMs }: TimedArgs): Timing {
  const found = computedContenders.find((c) => c.name === contender)
  if (!found) throw new Error(`logic: no computed contender named ${contender}`)
  const store = found.make(size)
  // The model: each toggle moves the count by one. A contender whose subscriber saw another
  // value did less (or other) work than asked, and fails the run.
  const done = makeItems(size).map((item) => item.done)
  let expected = countDone(makeItems(size))
  const next = lcg()
  const timing = timeOps(
    () => {
      const i = next(size)
      store.toggle(i)
      done[i] = !done[i]
      expected += done[i] ? 1 : -1
    },
    maxOps,
    budgetMs,
  )
  if (store.read() !== expected)
    throw new Error(`${contender}: its subscriber saw ${store.read()}, not ${expected}`)
  return timing
}

/** A burst of triggers, each superseding the run before; resolves when the aborted runs have settled. */
interface Latest {
  burst(count: number): Promise<void>
  /** Runs started and runs that saw their signal abort, so far (none for a bare dispatch). */
  counts?(): { started: number; aborted: number }
}

/** The handler both libraries run: it waits until it is superseded (as an autosave's debounce would). */
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
const drain = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

const draft = defineStore('draft', {
  initial: { text: '' },
  actions: {
    edit: (d, text: string) => {
      d.text = text
    },
  },
})

/**
 * Rapid triggers of a "latest" watcher: Atoma's `latest` mode, and Redux Toolkit's listener
 * middleware with `cancelActiveListeners()` (its documented takeLatest); each library's bare
 * dispatch is measured too, so the note can say what the watcher adds per trigger.
 */
export const latestContenders: readonly { name: string; baseline?: boolean; make: () => Latest }[] = [
  {
    name: 'atoma latest watcher',
    make() {
      let aborted = 0
      const logic = defineLogic('autosave', ($) => {
        $.onAction(
          draft,
          'edit',
          async ({ signal }) => {
            await untilAborted(signal)
            aborted++
          },
          { mode: 'latest' },
        )
      })
      const runtime = createRuntime({ stores: [draft], logic: [logic], instrumentation: 'light' })
      const { edit } = runtime.store(draft).actions
      const started = () => inspectLogic(runtime).logic[0]?.watchers[0]?.started ?? 0
      return {
        async burst(count) {
          for (let i = 0; i < count; i++) edit(`text ${i}`)
          await drain()
        },
        counts: () => ({ started: started(), aborted }),
      }
    },
  },
  {
    name: 'redux toolkit listener (cancelActiveListeners)',
    make() {
      const slice = createSlice({
        name: 'draft',
        initialState: { text: '' },
        reducers: {
          edit(state, action: PayloadAction<string>) {
            state.text = action.payload
          },
        },
      })
      const listener = createListenerMiddleware()
      let started = 0
      let aborted = 0
      listener.startListening({
        actionCreator: slice.actions.edit,
        effect: async (_action, api) => {
          api.cancelActiveListeners()
          started++
          await untilAborted(api.signal)
          aborted++
        },
      })
      const store = configureStore({
        reducer: slice.reducer,
        middleware: (defaults) => defaults().prepend(listener.middleware),
      })
      return {
        async burst(count) {
          for (let i = 0; i < count; i++) store.dispatch(slice.actions.edit(`text ${i}`))
          await drain()
        },
        counts: () => ({ started, aborted }),
      }
    },
  },
  {
    name: 'atoma dispatch, no watcher',
    baseline: true,
    make() {
      const { edit } = createRuntime({ stores: [draft], instrumentation: 'light' }).store(draft).actions
      return {
        async burst(count) {
          for (let i = 0; i < count; i++) edit(`text ${i}`)
          await drain()
        },
      }
    },
  },
  {
    name: 'redux toolkit dispatch, no listener',
    make() {
      const slice = createSlice({
        name: 'draft',
        initialState: { text: '' },
        reducers: {
          edit(state, action: PayloadAction<string>) {
            state.text = action.payload
          },
        },
      })
      const store = configureStore({ reducer: slice.reducer })
      return {
        async burst(count) {
          for (let i = 0; i < count; i++) store.dispatch(slice.actions.edit(`text ${i}`))
          await drain()
        },
      }
    },
  },
]

/** One run of `logic`'s latest case: a warm-up burst, then a timed one; µs per trigger. */
export async function latestProbe({ contender, size }: { contender: string; size: number }): Promise<Timing> {
  const found = latestContenders.find((c) => c.name === contender)
  if (!found) throw new Error(`logic: no latest contender named ${contender}`)
  const watcher = found.make()
  await watcher.burst(size)
  const t0 = performance.now()
  await watcher.burst(size)
  const us = ((performance.now() - t0) * 1000) / size
  // Every trigger must start a run and every run but the last must be aborted: a contender
  // that coalesced triggers, or left runs going, did other work than asked.
  if (!watcher.counts) return { us, count: size }
  const { started, aborted } = watcher.counts()
  if (started !== 2 * size || aborted !== 2 * size - 1)
    throw new Error(`${contender}: ${started} runs started and ${aborted} aborted for ${2 * size} triggers`)
  return { us, count: size }
}
