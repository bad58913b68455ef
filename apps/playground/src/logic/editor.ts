import { defineLogic, type SourceState, source, sourceIdle } from '@atoma/logic'
import { defineStore } from '@atoma/runtime'
import { profiles, tasks } from '../data/collections.js'
import type { Priority, Profile, Task } from '../data/model.js'

/** The fields the editor changes. */
export type TaskFields = Pick<Task, 'title' | 'assignee' | 'priority'>

export interface Draft {
  taskId: string
  /** What the fields say now. */
  fields: TaskFields
  /** What the task had when the editor opened: Cancel goes back to it. */
  original: TaskFields
  /** What was last written to the task (the original, or the last autosave). */
  saved: TaskFields
}

export interface EditorState {
  /** The task being edited (one at a time), or null. */
  draft: Draft | null
  /** `waiting` while an autosave waits for typing to pause; `saved` once it wrote. */
  autosave: 'idle' | 'waiting' | 'saved'
  /** The profile of the draft's assignee, fetched by name when it changes (a `source`). */
  assignee: SourceState<Profile>
}

const fieldsOf = ({ title, assignee, priority }: TaskFields): TaskFields => ({ title, assignee, priority })

/** The fields of `next` that differ from `from` (a trimmed title; an empty one changes nothing). */
export function changesOf(from: TaskFields, next: TaskFields): Partial<TaskFields> {
  const title = next.title.trim()
  return {
    ...(title !== '' && title !== from.title ? { title } : {}),
    ...(next.assignee !== from.assignee ? { assignee: next.assignee } : {}),
    ...(next.priority !== from.priority ? { priority: next.priority as Priority } : {}),
  }
}

/** The task editor's draft: UI state in the runtime, so devtools record and replay it. */
export const editor = defineStore('editor', {
  initial: { draft: null, autosave: 'idle', assignee: sourceIdle } as EditorState,
  actions: {
    open: (draft, task: Task) => {
      const fields = fieldsOf(task)
      draft.draft = { taskId: task.id, fields, original: fields, saved: fields }
      draft.autosave = 'idle'
    },
    change: (draft, fields: Partial<TaskFields>) => {
      if (!draft.draft) return
      Object.assign(draft.draft.fields, fields)
      draft.autosave = 'waiting'
    },
    /** The autosave (or Save) wrote these fields to the task. */
    saved: (draft, fields: Partial<TaskFields>) => {
      if (!draft.draft) return
      Object.assign(draft.draft.saved, fields)
      draft.autosave = 'saved'
    },
    close: (draft) => {
      draft.draft = null
      draft.autosave = 'idle'
    },
  },
  traits: {
    // Grace's profile while the draft says Grace; switching the assignee aborts the fetch before.
    assignee: source(profiles, (state: EditorState) => state.draft?.fields.assignee || null),
  },
})

/** How long typing has to pause before the draft is saved. */
export const AUTOSAVE_MS = 800

/**
 * Auto-saves the draft once typing pauses: mode `latest`, so each change aborts the run still
 * waiting (its `signal`), and only the last one writes. A write is an ordinary optimistic patch
 * of the task (on the team board it goes through the outbox).
 */
export const autosave = defineLogic('autosave', ($) => {
  $.onAction(
    editor,
    'change',
    async ({ signal, store, write, dispatch }) => {
      await pause(AUTOSAVE_MS, signal)
      const { draft } = store(editor).read()
      if (!draft) return
      const changes = changesOf(draft.saved, draft.fields)
      if (Object.keys(changes).length === 0) return
      write(tasks).patch(draft.taskId, changes)
      dispatch(editor, 'saved', changes)
    },
    { mode: 'latest', name: 'autosave draft' },
  )
})

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}
