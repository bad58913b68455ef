import { type FormEvent, useState } from 'react'
import type { Task } from '../data/model.js'
import { useEditTask } from '../hooks/taskWrites.js'
import { AssigneeSelect, PrioritySelect } from './TaskFields.js'

/** Edits a task in place; saving closes the editor at once, the write confirms in the background. */
export function TaskEditor({ task, onDone }: { task: Task; onDone(): void }) {
  const edit = useEditTask()
  const [title, setTitle] = useState(task.title)
  const [assignee, setAssignee] = useState(task.assignee)
  const [priority, setPriority] = useState(task.priority)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = title.trim()
    const changes = {
      ...(trimmed !== '' && trimmed !== task.title ? { title: trimmed } : {}),
      ...(assignee !== task.assignee ? { assignee } : {}),
      ...(priority !== task.priority ? { priority } : {}),
    }
    if (Object.keys(changes).length > 0) edit({ id: task.id, title: trimmed || task.title, changes })
    onDone()
  }

  return (
    <form
      className="editor"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone()
      }}
    >
      <textarea
        className="input title-input"
        aria-label="Title"
        rows={1}
        value={title}
        // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this task.
        autoFocus
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={(event) => {
          // A title is one line: Enter saves, as in the field it replaces; it wraps to fit.
          if (event.key === 'Enter') {
            event.preventDefault()
            event.currentTarget.form?.requestSubmit()
          }
        }}
      />
      <div className="editor-fields">
        <AssigneeSelect value={assignee} onChange={setAssignee} />
        <PrioritySelect value={priority} onChange={setPriority} />
      </div>
      <div className="editor-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary">
          Save
        </button>
      </div>
    </form>
  )
}
