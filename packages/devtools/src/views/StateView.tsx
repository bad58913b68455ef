import { useMemo, useState } from 'react'
import { SearchBox } from '../components/SearchBox.js'
import { TreeView } from '../components/TreeView.js'
import { ValueText } from '../components/ValueText.js'
import { VirtualList } from '../components/VirtualList.js'
import type { Inspectable } from '../model/inspect.js'
import { previewOf } from '../model/inspect.js'
import { searchState } from '../model/searchState.js'
import { plural, type TxnView } from '../model/txnView.js'
import { persistSourceOf } from '../persist/persistSource.js'
import type { PanelData } from '../source/panelData.js'
import type { TravelTarget } from '../travel/travel.js'
import { DispatchForm } from './DispatchForm.js'
import { type InstanceStore, InstanceStorePicker, resolvePick } from './InstanceStorePicker.js'
import { PersistedStore } from './PersistedStore.js'

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

/**
 * The tree of a store's current state (of the current page's runtime by default), or of a
 * transaction's before/after snapshot; a search over its keys and values; and, for a plain store
 * of a live runtime, a form that dispatches one of its actions.
 */
export function StateView({ data, subject, onSubject }: StateViewProps) {
  const [query, setQuery] = useState('')
  const pick = resolvePick(data, subject)
  const wanted = subject?.snapshot ?? null
  const txn = pick && wanted !== null ? findTxn(data, pick, wanted.key) : undefined
  const root = pick
    ? txn && wanted
      ? txn.snapshot(wanted.which)
      : data.stateOf(pick.label, pick.store)
    : undefined
  if (!pick) return <p className="atoma-empty">No runtime has joined the devtools hub.</p>
  const title = txn && wanted ? `${pick.store} ${wanted.which} #${txn.txnId}` : pick.store
  const handle = data.instance(pick.label)
  const described = handle?.describe?.(pick.store)
  const travelled = data.travel.overrideOf(pick.label, pick.store)
  const canDispatch = data.mode === 'live' && described?.kind === 'store' && described.actions.length > 0
  const persisted = data.mode === 'live' ? persistSourceOf(handle?.exposed?.()) : undefined
  const journal = persisted?.stores.includes(pick.store) ? persisted : undefined

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <InstanceStorePicker
          instances={data.instances}
          value={pick}
          onChange={(next) => onSubject({ ...next, snapshot: null })}
        />
        <SearchBox
          label="Search the state"
          placeholder="Search keys and values…"
          value={query}
          onChange={setQuery}
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
        ) : travelled ? (
          <span className="atoma-status" data-mode="paused">
            {travelled.at
              ? `Travelled: paused at txn #${travelled.at.txnId} (${travelled.at.which})`
              : 'Travelled: skipping'}
          </span>
        ) : (
          <span className="atoma-muted">
            Current state{data.instances.length > 1 ? ` of ${pick.label}` : ''}
          </span>
        )}
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          {!root ? (
            <p className="atoma-empty">No state recorded for {title}.</p>
          ) : query.trim() !== '' ? (
            <SearchResults root={root} query={query} store={pick.store} />
          ) : (
            <TreeView
              key={`${pick.label}\u0000${title}`}
              root={root}
              rootLabel={pick.store}
              label={`State of ${title}`}
            />
          )}
        </div>
        {((canDispatch && handle?.dispatch && described) || journal) && (
          <div className="atoma-detail atoma-narrow">
            {journal && <PersistedStore source={journal} store={pick.store} />}
            {canDispatch && handle?.dispatch && described && (
              <DispatchForm
                key={`${pick.label}\u0000${pick.store}`}
                store={pick.store}
                actions={described.actions}
                dispatch={(action, payload) => handle.dispatch?.(pick.store, action, payload) as number}
              />
            )}
          </div>
        )}
      </div>
    </div>
  )
}

function SearchResults({ root, query, store }: { root: Inspectable; query: string; store: string }) {
  const found = useMemo(() => searchState(root, query), [root, query])
  return (
    <div className="atoma-panel">
      <p className="atoma-muted atoma-pad" aria-live="polite">
        {plural(found.matches.length, 'match', 'matches')}
        {found.matches.length >= 500 ? ' (the first 500)' : ''}
        {found.partial ? ' · the state is too big to search whole; this is the part searched' : ''}
      </p>
      {found.matches.length > 0 && (
        <VirtualList
          role="list"
          aria-label="Matches"
          count={found.matches.length}
          rowHeight={20}
          renderRow={(index, style) => {
            const match = found.matches[index]
            if (!match) return null
            return (
              // biome-ignore lint/a11y/useSemanticElements: windowed rows sit in a positioned spacer, which ul/li cannot hold
              <div key={index} role="listitem" className="atoma-row atoma-mono" style={style}>
                <span className="atoma-key">{[store, ...match.path].join(' › ')}:</span>
                <span className="atoma-cell atoma-grow">
                  <ValueText value={previewOf(match.node)} max={160} />
                </span>
              </div>
            )
          }}
        />
      )}
    </div>
  )
}
