import { type FormEvent, useState } from 'react'
import { newId, type Priority } from '../data/model.js'
import { useCreateTask } from '../hooks/taskWrites.js'
import { AssigneeSelect, PrioritySelect } from './TaskFields.js'

/** Adds a task to “To do”: it shows at once, marked as saving until the backend confirms it. */
export function NewTaskForm({ projectId }: { projectId: string }) {
  const create = useCreateTask()
  const [title, setTitle] = useState('')
  const [assignee, setAssignee] = useState('')
  const [priority, setPriority] = useState<Priority>(2)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = title.trim()
    if (trimmed === '') return
    create({
      id: newId(),
      projectId,
      title: trimmed,
      status: 'todo',
      assignee,
      priority,
      createdAt: Date.now(),
    })
    setTitle('')
  }

  return (
    <form className="new-task" onSubmit={submit}>
      <input
        className="input grow"
        aria-label="New task title"
        placeholder="What needs doing?"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <AssigneeSelect value={assignee} onChange={setAssignee} />
      <PrioritySelect value={priority} onChange={setPriority} />
      <button type="submit" className="button primary">
        Add task
      </button>
    </form>
  )
}
