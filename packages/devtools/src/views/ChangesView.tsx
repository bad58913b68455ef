import { useMemo, useState } from 'react'
import { ValueText } from '../components/ValueText.js'
import { diffJson } from '../model/diffJson.js'
import { diffForm } from '../model/limits.js'
import type { ChangePage, ChangeView } from '../model/txnView.js'

const PAGE = 20

export interface ChangesViewProps {
  store: string
  /** A page of what changed: a transaction's own changes, or a comparison of two states. */
  changes(offset: number, limit: number): ChangePage
  /** Shown when nothing changed. */
  empty?: string
}

/**
 * The before/after diff of what changed, and only that: for a collection one entry per changed id
 * (never the other entities), for a store one per changed top-level key. Each entry is serialized
 * (bounded) only when it is on the page.
 */
export function ChangesView({ store, changes, empty }: ChangesViewProps) {
  const [limit, setLimit] = useState(PAGE)
  const page = useMemo(() => changes(0, limit), [changes, limit])
  if (page.total === 0 && page.omitted === 0)
    return (
      <p className="atoma-muted">
        {empty ?? 'No snapshots to compare (light instrumentation), or nothing changed.'}
      </p>
    )
  return (
    <>
      {page.items.map((change) => (
        <ChangeItem key={change.path.map(String).join('\u0000')} store={store} change={change} />
      ))}
      {page.total > limit && (
        <button type="button" className="atoma-button" onClick={() => setLimit(limit + PAGE)}>
          Show more changes ({limit} of {page.total})
        </button>
      )}
      {page.omitted > 0 && <p className="atoma-muted">… {page.omitted} more changes not recorded</p>}
    </>
  )
}

function ChangeItem({ store, change }: { store: string; change: ChangeView }) {
  const lines = useMemo(() => diffJson(diffForm(change.before), diffForm(change.after), 50), [change])
  const what = change.before === undefined ? 'added' : change.after === undefined ? 'removed' : 'changed'
  const where =
    change.path.length === 0 ? `${store} (whole state)` : `${store} › ${change.path.map(String).join(' › ')}`
  return (
    <div className="atoma-section">
      <div>
        <span className="atoma-mono atoma-key">{where}</span> <span className="atoma-badge">{what}</span>
      </div>
      <ul className="atoma-diff" aria-label={`Diff of ${where}`}>
        {lines.length === 0 && <li className="atoma-muted">same value (a new reference)</li>}
        {lines.map((line) => (
          <li key={line.path}>
            <span className="atoma-mono atoma-muted">{line.path || '·'}</span>
            {line.before !== undefined && (
              <span className="atoma-diff-removed">
                <ValueText value={line.before} max={200} />
              </span>
            )}
            {line.kind === 'changed' && <span aria-hidden="true">→</span>}
            {line.after !== undefined && (
              <span className="atoma-diff-added">
                <ValueText value={line.after} max={200} />
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}
