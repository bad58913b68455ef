// A small app for the panel's Chromium tests: the real runtime (memoryBackend behind a wrapper
// that counts the backend calls), real React with @atoma/react's provider and hooks, and the
// panel. The test drives it like a user and reads `window.fixture` to check the backend.
import { RuntimeProvider, useActions, useMutation, useQuery, useStore } from '@atoma/react'
import {
  type AtomaPlugin,
  createRuntime,
  defineCollection,
  defineStore,
  type ExecutionNode,
  memoryBackend,
} from '@atoma/runtime'
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { DevtoolsPanel } from '../../src/DevtoolsPanel.js'

interface Task {
  id: string
  title: string
  done: boolean
}

const tasks = defineCollection<Task>('tasks', { key: 'id' })
const board = defineStore('board', {
  initial: { filter: 'all' as 'all' | 'open' | 'done', note: '' },
  actions: {
    setFilter: (draft, filter: 'all' | 'open' | 'done') => {
      draft.filter = filter
    },
    setNote: (draft, note: string) => {
      draft.note = note
    },
  },
})

const calls = { query: 0, write: 0 }
let node: ExecutionNode | undefined

/** memoryBackend, counted: every request the runtime makes goes through here. */
const countedMemory: AtomaPlugin = {
  name: 'counted-memory',
  setup(ctx) {
    memoryBackend({
      seed: {
        tasks: [
          { id: 't1', title: 'Pick a color palette', done: false },
          { id: 't2', title: 'Write the release notes', done: false },
          { id: 't3', title: 'Book the venue', done: true },
        ],
      },
    }).setup({
      ...ctx,
      execution: {
        ...ctx.execution,
        registerNode: (registered: ExecutionNode) => {
          node = registered
          ctx.execution.registerNode({
            ...registered,
            query: async (input) => {
              calls.query++
              return (registered.query as NonNullable<ExecutionNode['query']>)(input)
            },
            write: async (input) => {
              calls.write++
              return (registered.write as NonNullable<ExecutionNode['write']>)(input)
            },
          })
        },
      },
    })
  },
}

const runtime = createRuntime({
  stores: [tasks, board],
  plugins: [countedMemory],
  devtools: { label: 'fixture' },
})

function Board() {
  const filter = useStore(board, (state) => state.filter)
  const note = useStore(board, (state) => state.note)
  const { setFilter } = useActions(board)
  const { data, status } = useQuery(tasks, filter === 'all' ? {} : { where: { done: filter === 'done' } })
  const add = useMutation(tasks, (write, title: string) =>
    write.create({
      id: `n${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      title,
      done: false,
    }),
  )
  const rename = useMutation(tasks, (write, { id, title }: { id: string; title: string }) =>
    write.patch(id, { title }),
  )
  const [title, setTitle] = useState('')
  return (
    <main style={{ font: '14px system-ui', padding: 16 }}>
      <h1>Fixture board</h1>
      <p data-testid="status">
        {status} · filter {filter}
        {note ? ` · ${note}` : ''}
      </p>
      <button type="button" onClick={() => setFilter(filter === 'all' ? 'open' : 'all')}>
        Toggle filter
      </button>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (title.trim()) add.mutate(title.trim())
          setTitle('')
        }}
      >
        <input
          aria-label="New task"
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
        />
        <button type="submit">Add task</button>
      </form>
      <ul aria-label="Tasks">
        {data.map((task) => (
          <li key={task.id} data-task={task.id}>
            <span>{task.title}</span>{' '}
            <button type="button" onClick={() => rename.mutate({ id: task.id, title: `${task.title}!` })}>
              Rename {task.title}
            </button>
          </li>
        ))}
      </ul>
      {Array.from({ length: 40 }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: filler rows that never change
        <p key={index}>Filler paragraph {index + 1}: the page is taller than the window.</p>
      ))}
      <p data-testid="page-end">The end of the page.</p>
    </main>
  )
}

declare global {
  interface Window {
    fixture: {
      calls: typeof calls
      /** Titles as the backend has them, read from the node directly (not through the runtime). */
      server(): Promise<string[]>
      titles(): string[]
      board(): { filter: string; note: string }
      history(store: string): number
    }
  }
}

window.fixture = {
  calls,
  async server() {
    if (!node?.query) throw new Error('the memory node is not registered')
    const result = await node.query({ store: 'tasks', query: {}, signal: new AbortController().signal })
    return result.items.map((item) => (item as Task).title).sort()
  },
  titles: () => [...runtime.store(tasks).getState().values()].map((task) => task.title).sort(),
  board: () => runtime.store(board).getState(),
  history: (store) => runtime.history(store).length,
}

const root = document.getElementById('root')
if (!root) throw new Error('no #root')
createRoot(root).render(
  <StrictMode>
    <RuntimeProvider runtime={runtime}>
      <Board />
    </RuntimeProvider>
    <DevtoolsPanel />
  </StrictMode>,
)
