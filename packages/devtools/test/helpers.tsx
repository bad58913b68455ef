import {
  clearDevtoolsEvents,
  createRuntime,
  defineCollection,
  defineStore,
  memoryBackend,
  type Runtime,
} from '@atoma/runtime'
import { act, cleanup, render, within } from '@testing-library/react'
import { afterEach } from 'vitest'
import { DevtoolsPanel, type DevtoolsPanelProps } from '../src/DevtoolsPanel.js'

export interface Todo {
  id: number
  title: string
  done: boolean
}

export const todos = defineCollection<Todo>('todos', { key: 'id' })

export interface Node {
  name: string
  self?: Node
}

export interface Ui {
  filter: 'all' | 'open' | 'done'
  count: number
  tags: Set<string>
  seen: Map<string, Date>
  big: bigint
  graph: Node
}

const graph: Node = { name: 'loop' }
graph.self = graph

export const ui = defineStore('ui', {
  initial: {
    filter: 'all',
    count: 0,
    tags: new Set(['a']),
    seen: new Map([['first', new Date('2024-05-01T10:00:00.000Z')]]),
    big: 10n,
    graph,
  } as Ui,
  actions: {
    setFilter: (draft, filter: Ui['filter']) => {
      draft.filter = filter
    },
    inc: (draft) => {
      draft.count++
    },
    fail: () => {
      throw new Error('boom')
    },
  },
})

// jsdom's Blob has no text(); every browser the panel supports has. Read it the older way here.
if (typeof Blob.prototype.text !== 'function') {
  Blob.prototype.text = function text(this: Blob) {
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result))
      reader.onerror = () => reject(reader.error)
      reader.readAsText(this)
    })
  }
}

const runtimes: Runtime[] = []
let labels = 0

/** A runtime with devtools on, under a label no other test uses; disposed after the test. */
export function testRuntime(options: { seed?: Todo[]; serverSeed?: Todo[] } = {}): Runtime {
  labels += 1
  const runtime = createRuntime({
    stores: [todos, ui],
    plugins: [memoryBackend(options.serverSeed ? { seed: { todos: options.serverSeed } } : {})],
    devtools: { label: `test-${labels}` },
  })
  if (options.seed) {
    const seed = options.seed
    runtime.transact(
      todos,
      (draft) => {
        for (const todo of seed) draft.set(todo.id, todo)
      },
      { kind: 'hydrate' },
    )
  }
  runtimes.push(runtime)
  return runtime
}

afterEach(async () => {
  // Vitest runs without globals, so Testing Library's automatic cleanup is not registered.
  cleanup()
  // The panel unmounts its own React root in a microtask (see DevtoolsPanel).
  await act(async () => {})
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  clearDevtoolsEvents()
  // The panel remembers its settings; each test starts from the props it gives.
  localStorage.clear()
})

export interface Scenario {
  /** Optimistic and writeback txnIds of a confirmed update of todo 1. */
  confirmed: { optimistic: number; writeback: number }
  /** Optimistic and rollback txnIds of an update the server refuses (todo 99 exists only locally). */
  rejected: { optimistic: number; rollback: number }
  /** A write of two entities, one confirmed and one refused: writeback and rollback of one write. */
  partial: { optimistic: number; writeback: number; rollback: number }
  action: number
}

/**
 * Real traffic through a real runtime: a query, a confirmed write, a rejected one, a partial one,
 * an action, and the renders a React binding would report for the writes (through the runtime's
 * public debug API, as @atoma/react does).
 */
export async function runScenario(runtime: Runtime): Promise<Scenario> {
  const store = runtime.store(todos)
  await store.query({})
  runtime.transact(todos, (draft) => void draft.set(99, { id: 99, title: 'local only', done: false }), {
    kind: 'sync',
  })

  const confirmed = await store.write.update(1, (draft) => {
    draft.done = true
  })
  const rejected = await store.write.update(99, (draft) => {
    draft.title = 'never saved'
  })
  // The server's NOT_FOUND removed 99 (the runtime heals to what the server says): put it back.
  runtime.transact(todos, (draft) => void draft.set(99, { id: 99, title: 'local only', done: false }), {
    kind: 'sync',
  })
  const partial = await store.write.patches([
    { op: 'replace', path: [2, 'title'], value: 'renamed' },
    { op: 'replace', path: [99, 'done'], value: true },
  ])
  const action = runtime.store(ui).actions.setFilter('done')
  const debug = runtime.debug
  if (!debug) throw new Error('the scenario needs a runtime with devtools')
  for (const name of ['TodoList', 'TodoItem'])
    debug.emit({ kind: 'react-render', store: 'todos', txnId: confirmed.txnId, name })
  debug.emit({ kind: 'react-render', store: 'todos', txnId: confirmed.writebackTxnId, name: 'TodoItem' })
  debug.emit({ kind: 'react-render', store: 'ui', txnId: action.txnId, name: 'FilterBar' })
  const txn = (id: number | undefined) => {
    if (id === undefined) throw new Error('the scenario expected a settling transaction')
    return id
  }
  return {
    confirmed: { optimistic: txn(confirmed.txnId), writeback: txn(confirmed.writebackTxnId) },
    rejected: { optimistic: txn(rejected.txnId), rollback: txn(rejected.rollbackTxnId) },
    partial: {
      optimistic: txn(partial.txnId),
      writeback: txn(partial.writebackTxnId),
      rollback: txn(partial.rollbackTxnId),
    },
    action: action.txnId,
  }
}

export const SERVER_TODOS: Todo[] = [
  { id: 1, title: 'write the panel', done: false },
  { id: 2, title: 'test it', done: false },
  { id: 3, title: 'ship it', done: false },
]

/** Runs pending animation frames and effects: the panel re-renders at most once per frame. */
export async function nextFrame(): Promise<void> {
  await act(async () => {
    await new Promise((done) => requestAnimationFrame(() => done(undefined)))
  })
}

/** Renders the panel and returns queries scoped to its shadow root. */
export async function renderPanel(props: DevtoolsPanelProps = {}) {
  const result = render(<DevtoolsPanel {...props} />)
  await act(async () => {})
  const host = document.querySelector('[data-atoma-devtools]')
  if (!host?.shadowRoot) throw new Error('the panel did not create its shadow host')
  const shadow = host.shadowRoot
  return { ...result, host, shadow, panel: within(shadow as unknown as HTMLElement) }
}

type Queries = Awaited<ReturnType<typeof renderPanel>>['panel']

/** The texts of the options a listbox has rendered (it is windowed: not necessarily all of them). */
export function optionTexts(panel: Queries, name: string): string[] {
  return within(panel.getByRole('listbox', { name }))
    .queryAllByRole('option')
    .map((option) => option.textContent ?? '')
}

export function option(panel: Queries, name: string, text: string | RegExp): HTMLElement {
  const options = within(panel.getByRole('listbox', { name })).getAllByRole('option')
  const found = options.find((item) =>
    typeof text === 'string' ? item.textContent?.includes(text) : text.test(item.textContent ?? ''),
  )
  if (!found)
    throw new Error(
      `no option matching ${String(text)} in ${name}: ${options.map((o) => o.textContent).join(' | ')}`,
    )
  return found
}

/** The live / paused / recording indicator in the panel's header. */
export function modeBadge(shadow: ShadowRoot): string | null | undefined {
  return shadow.querySelector('.atoma-header [data-mode]')?.textContent
}
