import { useActions, useStore } from '@atoma/react'
import type { FormEvent } from 'react'
import { useTaskEditor } from '../hooks/useTaskEditor.js'
import { editor } from '../logic/editor.js'
import { AssigneeSelect, PrioritySelect } from './TaskFields.js'

const AUTOSAVE_TEXT = { idle: '', waiting: 'Editing…', saved: 'Saved as you type' } as const

/**
 * Edits the task of the editor's draft in place. Typing is saved once it pauses (the `autosave`
 * logic); Save writes the rest and closes, Cancel puts the task back as it was.
 */
export function TaskEditor() {
  const draft = useStore(editor, (state) => state.draft)
  const autosave = useStore(editor, (state) => state.autosave)
  const profile = useStore(editor, (state) => state.assignee)
  const { change } = useActions(editor)
  const { save, cancel } = useTaskEditor()
  if (!draft) return null
  const { fields } = draft

  const submit = (event: FormEvent) => {
    event.preventDefault()
    save()
  }

  return (
    <form
      className="editor"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancel()
      }}
    >
      <textarea
        className="input title-input"
        aria-label="Title"
        rows={1}
        value={fields.title}
        // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this task.
        autoFocus
        onChange={(event) => change({ title: event.target.value })}
        onKeyDown={(event) => {
          // A title is one line: Enter saves, as in the field it replaces; it wraps to fit.
          if (event.key === 'Enter') {
            event.preventDefault()
            event.currentTarget.form?.requestSubmit()
          }
        }}
      />
      <div className="editor-fields">
        <AssigneeSelect value={fields.assignee} onChange={(assignee) => change({ assignee })} />
        <PrioritySelect value={fields.priority} onChange={(priority) => change({ priority })} />
      </div>
      {/* The assignee's profile, fetched by the `source` trait as the assignee changes. */}
      {profile.status !== 'idle' && (
        <p className="editor-profile" data-status={profile.status}>
          {profile.status === 'loading'
            ? 'Loading the profile…'
            : profile.status === 'success' && profile.data
              ? `${profile.data.fullName} · ${profile.data.role}`
              : 'No profile'}
        </p>
      )}
      <div className="editor-actions">
        <span className="editor-autosave" data-autosave={autosave}>
          {AUTOSAVE_TEXT[autosave]}
        </span>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
        <button type="submit" className="button primary">
          Save
        </button>
      </div>
    </form>
  )
}
