import { usePending, useStore } from '@atoma/react'
import { tasks } from '../data/collections.js'
import { priorityLabel, STATUSES, type Task } from '../data/model.js'
import { useDeleteTask, useMoveTask } from '../hooks/taskWrites.js'
import { useTaskEditor } from '../hooks/useTaskEditor.js'
import { editor } from '../logic/editor.js'
import { startDraggingTask } from './dragTask.js'
import { PendingMark } from './PendingMark.js'
import { TaskEditor } from './TaskEditor.js'

export function TaskCard({ task }: { task: Task }) {
  const editing = useStore(editor, (state) => state.draft?.taskId === task.id)
  const { open } = useTaskEditor()
  const pending = usePending(tasks, task.id)
  const move = useMoveTask()
  const remove = useDeleteTask()
  const at = STATUSES.findIndex((s) => s.id === task.status)
  const previous = STATUSES[at - 1]
  const next = STATUSES[at + 1]

  return (
    <li
      className="card"
      data-task-id={task.id}
      data-pending={pending}
      data-priority={task.priority}
      data-editing={editing}
      draggable={!editing}
      onDragStart={(event) => startDraggingTask(event, task)}
    >
      {editing ? (
        // The editor replaces the whole card: its fields are the card's.
        <TaskEditor />
      ) : (
        <>
          <button type="button" className="card-title" title="Edit" onClick={() => open(task)}>
            {task.title}
          </button>
          <div className="card-meta">
            <span className="assignee" data-empty={task.assignee === ''}>
              <span className="avatar" aria-hidden="true">
                {task.assignee === '' ? '?' : task.assignee.slice(0, 1)}
              </span>
              {task.assignee === '' ? 'Unassigned' : task.assignee}
            </span>
            <span className="priority">{priorityLabel(task.priority)}</span>
            <PendingMark collection={tasks} id={task.id} />
            <span className="grow" />
            <span className="card-actions">
              {previous && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move “${task.title}” to ${previous.label}`}
                  onClick={() => move({ id: task.id, title: task.title, status: previous.id })}
                >
                  ←
                </button>
              )}
              {next && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move “${task.title}” to ${next.label}`}
                  onClick={() => move({ id: task.id, title: task.title, status: next.id })}
                >
                  →
                </button>
              )}
              <button
                type="button"
                className="icon-button danger"
                aria-label={`Delete “${task.title}”`}
                onClick={() => remove(task)}
              >
                ✕
              </button>
            </span>
          </div>
        </>
      )}
    </li>
  )
}
