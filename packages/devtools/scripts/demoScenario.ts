// The demo app the Storybook fixtures are recorded from, and the live stories run: real stores,
// a real runtime with devtools on and memoryBackend, and traffic that shows every kind of event.
import {
  createRuntime,
  defineCollection,
  defineStore,
  memoryBackend,
  type Runtime,
  type RuntimeOptions,
} from '@atoma/runtime'

export interface Todo {
  id: number
  title: string
  done: boolean
  tags: string[]
}

interface Contact {
  id: string
  name: string
  email: string
  joined: Date
  score: bigint
}

interface TreeNode {
  label: string
  parent?: TreeNode
  children: TreeNode[]
}

export const todos = defineCollection<Todo>('todos', { key: 'id' })
export const contacts = defineCollection<Contact>('contacts', { key: 'id' })

const root: TreeNode = { label: 'root', children: [] }
root.children.push({ label: 'child', parent: root, children: [] })

export const ui = defineStore('ui', {
  initial: {
    filter: 'all' as 'all' | 'open' | 'done',
    selected: null as number | null,
    expanded: new Set<string>(['inbox']),
    lastSeen: new Map<string, Date>([['todos', new Date('2025-01-15T09:30:00.000Z')]]),
    quota: 9_007_199_254_740_993n,
    tree: root,
  },
  actions: {
    setFilter: (draft, filter: 'all' | 'open' | 'done') => {
      draft.filter = filter
    },
    select: (draft, id: number | null) => {
      draft.selected = id
    },
    expand: (draft, section: string) => {
      draft.expanded.add(section)
    },
    crash: () => {
      throw new Error('the reducer crashed on purpose')
    },
  },
})

const serverTodos: Todo[] = [
  { id: 1, title: 'Design the devtools panel', done: true, tags: ['design'] },
  { id: 2, title: 'Record fixtures from a real runtime', done: false, tags: ['storybook'] },
  { id: 3, title: 'Test time travel', done: false, tags: ['test'] },
  { id: 4, title: 'Ship it', done: false, tags: [] },
]
const serverContacts: Contact[] = Array.from({ length: 1_500 }, (_, index) => ({
  id: `c${index}`,
  name: `Contact ${index}`,
  email: `contact${index}@example.com`,
  joined: new Date(Date.UTC(2024, index % 12, (index % 28) + 1)),
  score: BigInt(index) * 1_000_000_007n,
}))

/** What @atoma/react reports when a commit re-renders components. */
function render(runtime: Runtime, txnId: number | undefined, ...components: string[]): void {
  for (const name of components) runtime.debug?.emit({ kind: 'react-render', store: 'todos', txnId, name })
}

/** The demo stores with devtools on, the backend seeded with the "server" data. */
export function demoRuntimeOptions(label: string, options: { contacts?: number } = {}): RuntimeOptions {
  const seed = {
    todos: serverTodos,
    contacts: serverContacts.slice(0, options.contacts ?? serverContacts.length),
  }
  return { stores: [todos, contacts, ui], plugins: [memoryBackend({ seed })], devtools: { label } }
}

export function createDemoRuntime(label: string, options: { contacts?: number } = {}): Runtime {
  return createRuntime(demoRuntimeOptions(label, options))
}

/**
 * Queries, a confirmed write, a create, a delete, a write the server rejects (rolled back), a
 * write it half accepts (writeback + rollback), actions, a failing action, and the renders a React
 * binding would report for them (through the runtime's public debug API, as @atoma/react does).
 */
export async function runDemo(runtime: Runtime): Promise<void> {
  runtime.debug?.emit({ kind: 'lifecycle', name: 'app:mounted' })
  const list = runtime.store(todos)
  await list.query({ orderBy: [['id', 'asc']] })
  render(runtime, runtime.debug?.lastTxnId('todos'), 'TodoList')
  await runtime.store(contacts).query({})

  const done = await list.write.update(2, (draft) => {
    draft.done = true
  })
  render(runtime, done.txnId, 'TodoList', 'TodoItem#2')
  render(runtime, done.writebackTxnId, 'TodoItem#2')

  const created = await list.write.create({ id: 5, title: 'Write the README', done: false, tags: ['docs'] })
  render(runtime, created.txnId, 'TodoList', 'TodoItem#5')

  // Another client already created id 6 on the server: the write is rejected and rolled back.
  runtime.transact(
    todos,
    (draft) => void draft.set(6, { id: 6, title: 'Local draft', done: false, tags: [] }),
    {
      kind: 'sync',
    },
  )
  await runtime.store(todos).write.delete(4)
  const rejected = await list.write.update(6, (draft) => {
    draft.title = 'Edited offline'
  })
  render(runtime, rejected.txnId, 'TodoItem#6')
  render(runtime, rejected.rollbackTxnId, 'TodoItem#6')

  // One write, two entities: the server confirms one and refuses the other.
  const partial = await list.write.patches([
    { op: 'replace', path: [3, 'tags'], value: ['test', 'time-travel'] },
    { op: 'replace', path: [6, 'done'], value: true },
  ])
  render(runtime, partial.txnId, 'TodoItem#3', 'TodoItem#6')

  const store = runtime.store(ui)
  const filter = store.actions.setFilter('open')
  render(runtime, filter.txnId, 'FilterBar', 'TodoList')
  store.actions.select(3)
  store.actions.expand('archive')
  try {
    store.actions.crash()
  } catch {
    runtime.debug?.emit({
      kind: 'diagnostic',
      store: 'ui',
      name: 'action ui/crash failed',
      data: { action: 'crash' },
    })
  }
  for (let round = 0; round < 12; round++) {
    const txn = list.write.patch(1 + (round % 3), { title: `Renamed ${round}` })
    render(runtime, txn.txnId, `TodoItem#${1 + (round % 3)}`)
    await txn
  }
  store.actions.setFilter('all')
}
