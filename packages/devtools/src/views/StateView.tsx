import { TreeView } from '../components/TreeView.js'
import type { TravelTarget } from '../model/timeTravel.js'
import type { TxnView } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { type InstanceStore, InstanceStorePicker, resolvePick } from './InstanceStorePicker.js'

export interface StateSubject extends InstanceStore {
  /** A transaction's snapshot instead of the current state. */
  snapshot: { key: string; which: TravelTarget } | null
}

export interface StateViewProps {
  data: PanelData
  subject: StateSubject | null
  onSubject(subject: StateSubject): void
}

/** Finds a transaction by key among the events, then in the store's history. */
function findTxn(data: PanelData, pick: InstanceStore, key: string): TxnView | undefined {
  return data.index.txnByKey.get(key) ?? data.historyOf(pick.label, pick.store).find((txn) => txn.key === key)
}

/** The tree of a store's current state, or of a transaction's before/after snapshot. */
export function StateView({ data, subject, onSubject }: StateViewProps) {
  const pick = resolvePick(data.instances, subject)
  if (!pick) return <p className="atoma-empty">No runtime has joined the devtools hub.</p>
  const wanted = subject?.snapshot ?? null
  const txn = wanted === null ? undefined : findTxn(data, pick, wanted.key)
  const root = txn && wanted ? txn.snapshot(wanted.which) : data.stateOf(pick.label, pick.store)
  const title = txn && wanted ? `${pick.store} ${wanted.which} #${txn.txnId}` : pick.store

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <InstanceStorePicker
          instances={data.instances}
          value={pick}
          onChange={(next) => onSubject({ ...next, snapshot: null })}
        />
        {txn && wanted ? (
          <>
            <span className="atoma-status" data-mode="paused">
              Snapshot {wanted.which} transaction #{txn.txnId}
            </span>
            <button
              type="button"
              className="atoma-button"
              onClick={() => onSubject({ ...pick, snapshot: null })}
            >
              Show current state
            </button>
          </>
        ) : (
          <span className="atoma-muted">Current state</span>
        )}
      </div>
      {root ? (
        <TreeView
          key={`${pick.label}\u0000${title}`}
          root={root}
          rootLabel={pick.store}
          label={`State of ${title}`}
        />
      ) : (
        <p className="atoma-empty">No state recorded for {title}.</p>
      )}
    </div>
  )
}
