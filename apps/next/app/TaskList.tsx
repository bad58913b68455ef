'use client'

import { useMutation, usePending, useQuery } from '@atoma/react'
import { type FormEvent, useEffect, useState } from 'react'
import { STALE_MS, type Task, taskList, tasks } from '../lib/tasks'

/** The client island: the prefetched list, live, and a form that adds a task optimistically. */
export function TaskList() {
  const { data, status } = useQuery(tasks, taskList, { staleTime: STALE_MS })
  const add = useMutation(tasks, (write, title: string) =>
    write.create({ id: crypto.randomUUID(), title, done: false, createdAt: Date.now() }),
  )
  const [title, setTitle] = useState('')
  // Marks the page interactive for the end-to-end test (effects run only once hydrated).
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (title.trim() === '') return
    add.mutate(title.trim())
    setTitle('')
  }
  return (
    <section data-status={status} data-hydrated={hydrated}>
      <form onSubmit={submit}>
        <input aria-label="New task" value={title} onChange={(event) => setTitle(event.target.value)} />
        <button type="submit">Add</button>
      </form>
      <ul>
        {data.map((task) => (
          <Row key={task.id} task={task} />
        ))}
      </ul>
      {add.isError && <p role="alert">{add.error?.message}</p>}
    </section>
  )
}

function Row({ task }: { task: Task }) {
  const pending = usePending(tasks, task.id)
  return (
    <li data-pending={pending}>
      <input type="checkbox" checked={task.done} readOnly /> {task.title}
    </li>
  )
}
