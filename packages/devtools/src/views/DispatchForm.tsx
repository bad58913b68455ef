import { type FormEvent, useId, useState } from 'react'

export interface DispatchFormProps {
  store: string
  actions: readonly string[]
  /** Dispatches as the app would (one transaction); returns its id, throws what the action threw. */
  dispatch(action: string, payload: unknown): number
}

type Outcome = { kind: 'error' | 'ok'; text: string } | null

/** The payload text as JSON; empty means no payload. Refused, with the parser's reason, when it is not JSON. */
export function parsePayload(text: string): { ok: true; payload: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, payload: undefined }
  try {
    return { ok: true, payload: JSON.parse(text) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/** A store's actions and a JSON payload editor: dispatching commits exactly one transaction. */
export function DispatchForm({ store, actions, dispatch }: DispatchFormProps) {
  const id = useId()
  const [action, setAction] = useState(actions[0] ?? '')
  const [text, setText] = useState('')
  const [outcome, setOutcome] = useState<Outcome>(null)
  const parsed = parsePayload(text)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!parsed.ok) {
      setOutcome({ kind: 'error', text: `Not dispatched: the payload is not valid JSON (${parsed.error}).` })
      return
    }
    try {
      const txnId = dispatch(action, parsed.payload)
      setOutcome({ kind: 'ok', text: `Dispatched ${store}/${action}: transaction #${txnId}.` })
    } catch (error) {
      setOutcome({
        kind: 'error',
        text: `${store}/${action} failed: ${error instanceof Error ? error.message : String(error)}`,
      })
    }
  }

  return (
    <form className="atoma-form" aria-label={`Dispatch an action of ${store}`} onSubmit={submit}>
      <h3 className="atoma-section-title">Dispatch an action</h3>
      <label className="atoma-field" htmlFor={`${id}-action`}>
        <span>Action</span>
        <select
          id={`${id}-action`}
          className="atoma-input"
          value={action}
          onChange={(event) => {
            setAction(event.currentTarget.value)
            setOutcome(null)
          }}
        >
          {actions.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="atoma-field" htmlFor={`${id}-payload`}>
        <span>Payload (JSON, empty for none)</span>
        <textarea
          id={`${id}-payload`}
          className="atoma-input atoma-mono atoma-editor"
          spellCheck={false}
          rows={5}
          value={text}
          aria-invalid={!parsed.ok}
          aria-describedby={parsed.ok ? undefined : `${id}-invalid`}
          placeholder={'"open"  or  {"id": 1}'}
          onChange={(event) => {
            setText(event.currentTarget.value)
            setOutcome(null)
          }}
        />
      </label>
      {!parsed.ok && (
        <p id={`${id}-invalid`} className="atoma-invalid">
          Not valid JSON: {parsed.error}
        </p>
      )}
      <div className="atoma-actions">
        <button type="submit" className="atoma-button" disabled={action === ''}>
          Dispatch {action}
        </button>
      </div>
      {outcome && (
        <p
          className="atoma-outcome"
          data-kind={outcome.kind}
          role={outcome.kind === 'error' ? 'alert' : 'status'}
        >
          {outcome.text}
        </p>
      )}
    </form>
  )
}
