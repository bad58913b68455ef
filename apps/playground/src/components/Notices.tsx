import { useActions, useStore } from '@atoma/react'
import { useEffect } from 'react'
import { sessions } from '../data/session.js'
import { type Notice, notices } from '../data/stores.js'
import { useCreateTask } from '../hooks/taskWrites.js'

const SHOWN_MS = 8000

/**
 * The notices, stacked in the bottom-left corner, newest last: a place of their own in the
 * layout (under the projects; at the bottom on a phone), so they never cover a control. Each
 * goes away on its own after a while, except the sticky ones (sign in again).
 */
export function Notices() {
  const list = useStore(notices, (state) => state.list)
  return (
    <section className="notices" aria-label="Notices">
      {list.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </section>
  )
}

function NoticeItem({ notice }: { notice: Notice }) {
  const { dismiss } = useActions(notices)
  const create = useCreateTask()
  useEffect(() => {
    if (notice.sticky) return
    const timer = setTimeout(() => dismiss(notice.id), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [dismiss, notice.id, notice.sticky])
  const { action } = notice
  return (
    <div className="notice" role={notice.tone === 'error' ? 'alert' : 'status'} data-tone={notice.tone}>
      <div className="notice-text">
        <strong>{notice.title}</strong>
        {notice.detail && <span className="notice-detail">{notice.detail}</span>}
      </div>
      {action?.kind === 'undo-delete' && (
        <button
          type="button"
          className="button notice-action"
          onClick={() => {
            create(action.task)
            dismiss(notice.id)
          }}
        >
          Undo
        </button>
      )}
      {action?.kind === 'sign-in' && (
        <button type="button" className="button notice-action" onClick={() => sessions.setPicking(true)}>
          Sign in
        </button>
      )}
      {!notice.sticky && (
        <button
          type="button"
          className="notice-close"
          aria-label="Dismiss"
          onClick={() => dismiss(notice.id)}
        >
          ✕
        </button>
      )}
    </div>
  )
}
