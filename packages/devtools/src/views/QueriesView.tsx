import { AtomaError } from '@atoma/runtime'
import { useState } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { ListBox } from '../components/ListBox.js'
import { SearchBox } from '../components/SearchBox.js'
import { TreeView } from '../components/TreeView.js'
import { ValueText } from '../components/ValueText.js'
import { formatClock } from '../model/describeEvent.js'
import { liveValue, previewOf } from '../model/inspect.js'
import { routeSteps } from '../model/route.js'
import { plural } from '../model/txnView.js'
import {
  isTriggeredLoading,
  type QueryClientLike,
  type QueryLike,
  queryStatusOf,
  toggleError,
  toggleLoading,
} from '../queries/queryClient.js'
import { useQueryClients } from '../queries/useQueryClients.js'
import type { PanelData } from '../source/panelData.js'
import { RouteView } from './RouteView.js'

interface Row {
  label: string
  client: QueryClientLike
  query: QueryLike
}

/** A query's key as one line: `tasks · {"where":{"done":false}}` for Atoma's `['atoma', store, query]`. */
export function keyText(key: readonly unknown[]): string {
  if (key[0] === 'atoma' && typeof key[1] === 'string' && typeof key[2] === 'string')
    return `${key[1]} · ${key[2]}`
  try {
    return JSON.stringify(key)
  } catch {
    return String(key)
  }
}

/** Atoma's query data (`QueryResult`): its items, the transaction that landed it, its route. */
function resultOf(data: unknown): { items?: number; txnId?: number; route?: unknown } {
  if (typeof data !== 'object' || data === null) return {}
  const result = data as { items?: unknown; txnId?: unknown; meta?: { route?: unknown } }
  return {
    ...(Array.isArray(result.items) ? { items: result.items.length } : {}),
    ...(typeof result.txnId === 'number' ? { txnId: result.txnId } : {}),
    route: result.meta?.route,
  }
}

/**
 * The query-core cache of each runtime's QueryClient (attached by `RuntimeProvider`), as
 * TanStack Query Devtools shows it: key, status (fresh / stale / fetching / paused / inactive),
 * observers, last update and a data preview; refetch, invalidate, reset, remove, and triggered
 * loading and error states to see the app's own loading and error UI.
 */
export function QueriesView({ data, onOpenTxn }: { data: PanelData; onOpenTxn(key: string): void }) {
  // Re-renders when a cache changes; the rows are read from the caches on each render.
  const { found, missing } = useQueryClients(data, 'query')
  const [selectedHash, setSelectedHash] = useState<string | null>(null)
  const [filter, setFilter] = useState('')
  const rows: Row[] = []
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
  for (const { label, client } of found)
    for (const query of client.getQueryCache().getAll()) {
      const text = `${label} ${keyText(query.queryKey)}`.toLowerCase()
      if (words.every((word) => text.includes(word))) rows.push({ label, client, query })
    }

  if (missing) return <p className="atoma-empty">{missing}</p>
  const selectedIndex = rows.findIndex((row) => `${row.label}\u0000${row.query.queryHash}` === selectedHash)
  const selected = rows[selectedIndex]
  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <SearchBox label="Filter queries" placeholder="Filter by key…" value={filter} onChange={setFilter} />
        <span className="atoma-muted">{plural(rows.length, 'query', 'queries')}</span>
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label="Queries"
            count={rows.length}
            selected={selectedIndex}
            onSelect={(index) => {
              const row = rows[index]
              setSelectedHash(row ? `${row.label}\u0000${row.query.queryHash}` : null)
            }}
            empty="No query in the cache yet."
            renderOption={(index) => {
              const row = rows[index]
              if (!row) return null
              const status = queryStatusOf(row.query)
              return (
                <>
                  <span className="atoma-badge" data-kind={`query-${status}`}>
                    {status}
                  </span>
                  <span className="atoma-cell atoma-grow atoma-mono">{keyText(row.query.queryKey)}</span>
                  {row.query.state.status === 'error' && (
                    <span className="atoma-badge" data-kind="error">
                      error
                    </span>
                  )}
                  <span className="atoma-muted" title="observers">
                    {row.query.getObserversCount()} obs
                  </span>
                  <span className="atoma-muted">
                    {row.query.state.dataUpdatedAt ? formatClock(row.query.state.dataUpdatedAt) : '–'}
                  </span>
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {selected ? (
            <QueryDetail key={selectedHash} row={selected} data={data} onOpenTxn={onOpenTxn} />
          ) : (
            <p className="atoma-empty">
              Select a query to see its state and data, and to refetch, invalidate or reset it.
            </p>
          )}
        </div>
      </div>
    </div>
  )
}

function QueryDetail({ row, data, onOpenTxn }: { row: Row; data: PanelData; onOpenTxn(key: string): void }) {
  const { client, query, label } = row
  const filters = { queryKey: query.queryKey, exact: true as const }
  const state = query.state
  const result = resultOf(state.data)
  const txn =
    result.txnId === undefined ? undefined : data.index.txnByKey.get(`${label}\u0000${result.txnId}`)
  const loading = isTriggeredLoading(query)
  const act = (run: () => unknown) => () => void run()
  return (
    <>
      <Section title="Query">
        <Fields
          items={[
            [
              'key',
              <span key="key" className="atoma-mono">
                {keyText(query.queryKey)}
              </span>,
            ],
            ['runtime', label],
            ['status', `${queryStatusOf(query)} (${state.status}, ${state.fetchStatus})`],
            ['observers', query.getObserversCount()],
            ['last updated', state.dataUpdatedAt ? formatClock(state.dataUpdatedAt) : 'never'],
            ['items', result.items],
            [
              'landed by',
              result.txnId === undefined ? undefined : txn ? (
                <button key="txn" type="button" className="atoma-link" onClick={() => onOpenTxn(txn.key)}>
                  txn #{result.txnId}
                </button>
              ) : (
                `txn #${result.txnId}`
              ),
            ],
            [
              'error',
              state.error ? (
                <ValueText key="error" value={previewOf(liveValue(state.error))} max={200} />
              ) : undefined,
            ],
          ]}
        />
        <div className="atoma-actions">
          <button type="button" className="atoma-button" onClick={act(() => client.refetchQueries(filters))}>
            Refetch
          </button>
          <button
            type="button"
            className="atoma-button"
            onClick={act(() => client.invalidateQueries(filters))}
          >
            Invalidate
          </button>
          <button type="button" className="atoma-button" onClick={act(() => client.resetQueries(filters))}>
            Reset
          </button>
          <button type="button" className="atoma-button" onClick={act(() => client.removeQueries(filters))}>
            Remove
          </button>
          <button
            type="button"
            className="atoma-button"
            aria-pressed={loading}
            onClick={() => toggleLoading(query)}
          >
            {loading ? 'Restore loading' : 'Trigger loading'}
          </button>
          <button
            type="button"
            className="atoma-button"
            aria-pressed={state.status === 'error'}
            onClick={() =>
              toggleError(
                client,
                query,
                new AtomaError(
                  'TRANSPORT',
                  `${keyText(query.queryKey)}: an error triggered from the devtools panel`,
                  {
                    retryable: false,
                  },
                ),
              )
            }
          >
            {state.status === 'error' ? 'Restore error' : 'Trigger error'}
          </button>
        </div>
      </Section>
      <Section title="Data">
        {state.data === undefined ? (
          <p className="atoma-muted">No data.</p>
        ) : (
          <div className="atoma-tree-box">
            <TreeView
              label="Query data"
              rootLabel="data"
              root={liveValue(state.data)}
              openRoot
              fallbackHeight={160}
            />
          </div>
        )}
      </Section>
      <Section title="Route of the last fetch">
        <RouteView steps={routeSteps(result.route, 'live')} />
      </Section>
    </>
  )
}
