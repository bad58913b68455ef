import { useActions, useRuntime } from '@atoma/react'
import type { Task } from '../data/model.js'
import { changesOf, editor, type TaskFields } from '../logic/editor.js'
import { useEditTask } from './taskWrites.js'

/**
 * Opens, saves and cancels the one task editor (its draft is the `editor` store; typing is
 * auto-saved by the `autosave` logic). Save writes what the autosave has not yet; Cancel writes
 * the task back to what it was when the editor opened, if an autosave changed it meanwhile.
 */
export function useTaskEditor() {
  const runtime = useRuntime()
  const edit = useEditTask()
  const actions = useActions(editor)
  const writeDraft = (to: (draft: { fields: TaskFields; original: TaskFields }) => TaskFields) => {
    const { draft } = runtime.store(editor).getState()
    if (!draft) return
    const changes = changesOf(draft.saved, to(draft))
    if (Object.keys(changes).length === 0) return
    edit({ id: draft.taskId, title: changes.title ?? draft.saved.title, changes })
    actions.saved(changes)
  }
  const save = () => writeDraft((draft) => draft.fields)
  return {
    /** Opens `task`'s editor; one that was open is saved first. */
    open(task: Task) {
      save()
      actions.open(task)
    },
    save() {
      save()
      actions.close()
    },
    cancel() {
      writeDraft((draft) => draft.original)
      actions.close()
    },
  }
}
