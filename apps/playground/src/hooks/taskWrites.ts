import { tasks } from '../data/collections.js'
import { STATUSES, type Status, type Task } from '../data/model.js'
import { useTrackedMutation } from './useTrackedMutation.js'

// The things a user does to tasks, each optimistic and tracked (see useTrackedMutation). The title
// travels along only so a failure can say which task it was about.

export function useCreateTask() {
  return useTrackedMutation(
    tasks,
    (write, task: Task) => write.create(task),
    (task) => `add “${task.title}”`,
  )
}

export function useEditTask() {
  return useTrackedMutation(
    tasks,
    (write, { id, changes }: { id: string; title: string; changes: Partial<Task> }) =>
      write.patch(id, changes),
    ({ title }) => `save “${title}”`,
  )
}

export function useMoveTask() {
  return useTrackedMutation(
    tasks,
    (write, { id, status }: { id: string; title: string; status: Status }) => write.patch(id, { status }),
    ({ title, status }) => `move “${title}” to ${STATUSES.find((s) => s.id === status)?.label ?? status}`,
  )
}

export function useDeleteTask() {
  return useTrackedMutation(
    tasks,
    (write, { id }: { id: string; title: string }) => write.delete(id),
    ({ title }) => `delete “${title}”`,
  )
}
