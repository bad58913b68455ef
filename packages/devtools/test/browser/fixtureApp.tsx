// A small app for the panel's Chromium tests: the real runtime (memoryBackend behind a wrapper
// that counts the backend calls, test/support/countedMemory.ts), real React with @atoma/react's provider and hooks, and the
// panel. The test drives it like a user and reads `window.fixture` to check the backend.
import { RuntimeProvider, useActions, useMutation, useQuery, useStore } from '@atoma/react'
import { createRuntime, defineCollection, defineStore } from '@atoma/runtime'
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { DevtoolsPanel } from '../../src/DevtoolsPanel.js'
import { countedMemory } from '../support/countedMemory.js'

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

const backend = countedMemory({
  tasks: [
    { id: 't1', title: 'Pick a color palette', done: false },
    { id: 't2', title: 'Write the release notes', done: false },
    { id: 't3', title: 'Book the venue', done: true },
  ],
})

const runtime = createRuntime({
  stores: [tasks, board],
  plugins: [backend.plugin],
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
      calls: typeof backend.calls
      /** Titles as the backend has them, read from the node directly (not through the runtime). */
      server(): Promise<string[]>
      titles(): string[]
      board(): { filter: string; note: string }
      history(store: string): number
    }
  }
}

window.fixture = {
  calls: backend.calls,
  async server() {
    const query = backend.node().query
    if (!query) throw new Error('the memory node cannot query')
    const result = await query({ store: 'tasks', query: {}, signal: new AbortController().signal })
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
