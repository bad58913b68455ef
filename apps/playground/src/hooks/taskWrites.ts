import { useActions, useMutation, useRuntime } from '@atoma/react'
import type { CollectionDef, CollectionWriter, WriteEntry, WriteHandle } from '@atoma/runtime'
import { projects, tasks } from '../data/collections.js'
import type { Project, Status, Task } from '../data/model.js'
import { rejectionNotice } from '../data/rejections.js'
import { notices } from '../data/stores.js'

// The things a user does, each optimistic: it shows at once, `usePending` marks it until the
// backend answers, and a rejection (rolled back by the runtime) becomes a notice. The title
// travels along only so that the notice can say which task it was about.

/**
 * useMutation's `mutate`. On the team board rejections are reported from the outbox
 * (data/rejections.ts), which also hears of writes made before a reload; the offline board has
 * no outbox, so its mutations report their own.
 */
function useBoardMutation<T, V>(
  collection: CollectionDef<T>,
  write: (writer: CollectionWriter<T>, vars: V) => WriteHandle<T>,
  describe: (vars: V) => { op: WriteEntry['op']; name: string },
): (vars: V) => void {
  const reportsItself = !('sync' in useRuntime())
  const { show } = useActions(notices)
  return useMutation(
    collection,
    write,
    reportsItself
      ? {
          onError: (error, vars) => {
            const { op, name } = describe(vars)
            show(rejectionNotice(op, name, error))
          },
        }
      : {},
  ).mutate
}

export function useCreateProject() {
  return useBoardMutation(
    projects,
    (write, project: Project) => write.create(project),
    (project) => ({ op: 'create', name: project.name }),
  )
}

export function useCreateTask() {
  return useBoardMutation(
    tasks,
    (write, task: Task) => write.create(task),
    (task) => ({ op: 'create', name: task.title }),
  )
}

export function useEditTask() {
  return useBoardMutation(
    tasks,
    (write, { id, changes }: { id: string; title: string; changes: Partial<Task> }) =>
      write.patch(id, changes),
    ({ title }) => ({ op: 'patch', name: title }),
  )
}

export function useMoveTask() {
  return useBoardMutation(
    tasks,
    (write, { id, status }: { id: string; title: string; status: Status }) => write.patch(id, { status }),
    ({ title }) => ({ op: 'patch', name: title }),
  )
}

/** Deletes at once and offers an Undo (a create of the same task: the server revives its id). */
export function useDeleteTask() {
  const { show } = useActions(notices)
  const remove = useBoardMutation(
    tasks,
    (write, task: Task) => write.delete(task.id),
    (task) => ({ op: 'delete', name: task.title }),
  )
  return (task: Task) => {
    remove(task)
    show({ tone: 'info', title: `Deleted “${task.title}”`, action: { kind: 'undo-delete', task } })
  }
}
