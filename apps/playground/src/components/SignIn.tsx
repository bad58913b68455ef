import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { SESSION_LENGTHS, sessions } from '../data/session.js'
import { USERS } from '../data/users.js'
import { useSession } from '../hooks/useSession.js'

/**
 * The development sign-in picker: choose a user, get a token from the start script's dev
 * endpoint (a JWT signed with the development secret, checked by the server on every request).
 */
export function SignInForm({ onCancel }: { onCancel?: () => void }) {
  const { session, expired } = useSession()
  const [user, setUser] = useState(session?.user ?? USERS[0]?.id ?? '')
  const [seconds, setSeconds] = useState<number>(SESSION_LENGTHS[0].seconds)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const lengthId = useId()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setProblem(null)
    sessions.signIn(user, seconds).then(
      () => setBusy(false),
      (error: Error) => {
        setBusy(false)
        setProblem(error.message)
      },
    )
  }

  return (
    <form className="sign-in" onSubmit={submit} aria-label="Sign in">
      <h1 className="sign-in-title">{expired ? 'Sign in again' : 'Sign in to the team board'}</h1>
      <p className="sign-in-note">
        {expired
          ? 'Your session ended. Changes you made meanwhile wait in the outbox and are sent once you are back.'
          : 'Each user sees their own project and the one they share. Development sign-in: the start script mints a token with its development secret.'}
      </p>
      <fieldset className="users">
        <legend className="sr-only">User</legend>
        {USERS.map((candidate) => (
          <label key={candidate.id} className="user-choice" data-checked={candidate.id === user}>
            <input
              type="radio"
              name="user"
              value={candidate.id}
              checked={candidate.id === user}
              onChange={() => setUser(candidate.id)}
            />
            <span className="avatar" aria-hidden="true">
              {candidate.name.slice(0, 1)}
            </span>
            {candidate.name}
          </label>
        ))}
      </fieldset>
      <label className="field" htmlFor={lengthId}>
        <span>Session</span>
        <select
          id={lengthId}
          className="select"
          value={seconds}
          onChange={(event) => setSeconds(Number(event.target.value))}
        >
          {SESSION_LENGTHS.map((length) => (
            <option key={length.seconds} value={length.seconds}>
              {length.label}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p className="sign-in-problem" role="alert">
          Could not sign in: {problem}
        </p>
      )}
      <div className="sign-in-actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          Sign in as {USERS.find((candidate) => candidate.id === user)?.name}
        </button>
      </div>
    </form>
  )
}

/** The picker over the board: to sign in again after a session ended, or as someone else. */
export function SignInDialog() {
  const dialog = useRef<HTMLDivElement>(null)
  const close = () => sessions.setPicking(false)
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('input:checked')?.focus()
  }, [])
  return (
    <div className="overlay">
      <div
        ref={dialog}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Sign in"
        onKeyDown={(event) => {
          if (event.key === 'Escape') close()
        }}
      >
        <SignInForm onCancel={close} />
      </div>
    </div>
  )
}
