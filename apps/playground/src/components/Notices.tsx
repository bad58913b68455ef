import { useActions, useStore } from '@atoma/react'
import { useEffect } from 'react'
import { activity, type Notice } from '../data/stores.js'

const SHOWN_MS = 10_000

/** Failed writes, newest last; each goes away on its own after a while. */
export function Notices() {
  const notices = useStore(activity, (state) => state.notices)
  return (
    <div className="notices">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </div>
  )
}

function NoticeItem({ notice }: { notice: Notice }) {
  const { dismiss } = useActions(activity)
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.id), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [dismiss, notice.id])
  return (
    <div className="notice" role="alert">
      <div className="notice-text">
        <strong>{notice.title}</strong>
        <span className="notice-detail">{notice.detail}</span>
      </div>
      <button type="button" className="notice-close" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
        ✕
      </button>
    </div>
  )
}
