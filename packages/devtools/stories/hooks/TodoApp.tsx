import { RuntimeProvider, useActions, useEntity, useMutation, useQuery, useStore } from '@atoma/react'
import { type FormEvent, useState } from 'react'
import { demoRuntimeOptions, type Todo, todos, ui } from '../../scripts/demoScenario.js'

// A small app on @atoma/react's hooks, so the stories show them at work next to the panel: the
// renders the panel links to transactions are the ones these components really make.

const options = demoRuntimeOptions('hooks demo', { contacts: 0 })

let nextId = 100

function TodoItem({ id }: { id: number }) {
  const todo = useEntity(todos, id)
  const toggle = useMutation(todos, (write, done: boolean) => write.patch(id, { done }))
  const remove = useMutation(todos, (write) => write.delete(id))
  if (!todo) return null
  return (
    <li data-todo={id}>
      <label>
        <input
          type="checkbox"
          checked={todo.done}
          onChange={(event) => toggle.mutate(event.currentTarget.checked)}
        />{' '}
        {todo.title}
      </label>{' '}
      <button type="button" onClick={() => remove.mutate()}>
        Delete
      </button>
    </li>
  )
}

function TodoList() {
  const { data, status, isFetching } = useQuery(todos, { orderBy: [['id', 'asc']] }, { name: 'TodoList' })
  const filter = useStore(ui, (state) => state.filter)
  const shown = data.filter((todo: Todo) => filter === 'all' || (filter === 'done') === todo.done)
  return (
    <section aria-label="Todos">
      <p>
        {status}
        {isFetching ? ' (fetching…)' : ''} · {shown.length} of {data.length} shown
      </p>
      <ul>
        {shown.map((todo) => (
          <TodoItem key={todo.id} id={todo.id} />
        ))}
      </ul>
    </section>
  )
}

function AddTodo() {
  const [title, setTitle] = useState('')
  const create = useMutation(todos, (write, text: string) =>
    write.create({ id: nextId++, title: text, done: false, tags: [] }),
  )
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (title.trim() === '') return
    create.mutate(title.trim())
    setTitle('')
  }
  return (
    <form onSubmit={submit}>
      <input aria-label="New todo" value={title} onChange={(event) => setTitle(event.currentTarget.value)} />{' '}
      <button type="submit">Add</button> <span>{create.status}</span>
    </form>
  )
}

function FilterBar() {
  const filter = useStore(ui, (state) => state.filter)
  const { setFilter } = useActions(ui)
  return (
    <p>
      {(['all', 'open', 'done'] as const).map((value) => (
        <button key={value} type="button" aria-pressed={filter === value} onClick={() => setFilter(value)}>
          {value}
        </button>
      ))}
    </p>
  )
}

export function TodoApp() {
  return (
    <RuntimeProvider options={options}>
      <FilterBar />
      <AddTodo />
      <TodoList />
    </RuntimeProvider>
  )
}
