import { useState } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { ListBox } from '../components/ListBox.js'
import { TreeView } from '../components/TreeView.js'
import { ValueText } from '../components/ValueText.js'
import { formatClock } from '../model/describeEvent.js'
import { formatValue } from '../model/formatValue.js'
import { liveValue, previewOf } from '../model/inspect.js'
import { routeSteps } from '../model/route.js'
import { plural, txnKey } from '../model/txnView.js'
import type { MutationLike, QueryClientLike } from '../queries/queryClient.js'
import { useQueryClients } from '../queries/useQueryClients.js'
import type { PanelData } from '../source/panelData.js'
import { CausalChainView } from './CausalChainView.js'
import { RouteView } from './RouteView.js'

interface Row {
  label: string
  client: QueryClientLike
  mutation: MutationLike
}

/** The write a mutation made, from its result (`WriteResult`) or from its error's (`error.result`). */
function writeOf(mutation: MutationLike): { txnId?: number; status?: string; route?: unknown } {
  const state = mutation.state
  const result = (state.data ?? (state.error as { result?: unknown } | null)?.result) as
    | { txnId?: unknown; status?: unknown; meta?: { route?: unknown } }
    | null
    | undefined
  if (typeof result !== 'object' || result === null) return {}
  return {
    ...(typeof result.txnId === 'number' ? { txnId: result.txnId } : {}),
    ...(typeof result.status === 'string' ? { status: result.status } : {}),
    route: result.meta?.route,
  }
}

/**
 * The query-core mutation cache (`useMutation`'s mutations): each one's variables, status and the
 * write it made, followed through its causal chain (optimistic commit → service op →
 * writeback / rollback → renders) and the route its request took.
 */
export function MutationsView({ data, onOpenTxn }: { data: PanelData; onOpenTxn(key: string): void }) {
  // Re-renders when a cache changes; the rows are read from the caches on each render.
  const { found, missing } = useQueryClients(data, 'mutation')
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const rows: Row[] = []
  for (const { label, client } of found)
    for (const mutation of client.getMutationCache().getAll()) rows.push({ label, client, mutation })
  rows.sort((a, b) => a.mutation.state.submittedAt - b.mutation.state.submittedAt)

  if (missing) return <p className="atoma-empty">{missing}</p>
  const idOf = (row: Row) => `${row.label}\u0000${row.mutation.mutationId}`
  const selectedIndex = rows.findIndex((row) => idOf(row) === selectedId)
  const selected = rows[selectedIndex]
  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <span className="atoma-muted">{plural(rows.length, 'mutation')}</span>
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label="Mutations"
            count={rows.length}
            selected={selectedIndex}
            onSelect={(index) => {
              const row = rows[index]
              setSelectedId(row ? idOf(row) : null)
            }}
            empty="No mutation yet (useMutation's calls are listed here)."
            renderOption={(index) => {
              const row = rows[index]
              if (!row) return null
              const { state } = row.mutation
              const write = writeOf(row.mutation)
              return (
                <>
                  <span className="atoma-mono atoma-muted">#{row.mutation.mutationId}</span>
                  <span
                    className="atoma-badge"
                    data-kind={
                      state.status === 'error' ? 'error' : state.status === 'success' ? 'ok' : undefined
                    }
                  >
                    {state.status}
                  </span>
                  <span className="atoma-cell atoma-grow atoma-mono">
                    {formatValue(previewOf(liveValue(state.variables)), 80)}
                  </span>
                  <span className="atoma-muted">
                    {write.txnId === undefined ? '' : `txn #${write.txnId}`}
                  </span>
                  <span className="atoma-muted">
                    {state.submittedAt ? formatClock(state.submittedAt) : ''}
                  </span>
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {selected ? (
            <MutationDetail key={selectedId} row={selected} data={data} onOpenTxn={onOpenTxn} />
          ) : (
            <p className="atoma-empty">
              Select a mutation to see its variables, its write and the write's causal chain.
            </p>
          )}
        </div>
      </div>
    </div>
  )
}

function MutationDetail({
  row,
  data,
  onOpenTxn,
}: {
  row: Row
  data: PanelData
  onOpenTxn(key: string): void
}) {
  const { state } = row.mutation
  const write = writeOf(row.mutation)
  const key = write.txnId === undefined ? undefined : txnKey(row.label, write.txnId)
  const txn = key === undefined ? undefined : data.index.txnByKey.get(key)
  const chain = key === undefined ? undefined : data.index.chainOf(key)
  return (
    <>
      <Section title={`Mutation #${row.mutation.mutationId}`}>
        <Fields
          items={[
            ['status', state.status],
            ['write', write.status],
            ['runtime', row.label],
            ['submitted', state.submittedAt ? formatClock(state.submittedAt) : undefined],
            ['failures', state.failureCount > 0 ? state.failureCount : undefined],
            [
              'error',
              state.error ? (
                <ValueText key="error" value={previewOf(liveValue(state.error))} max={200} />
              ) : undefined,
            ],
          ]}
        />
      </Section>
      <Section title="Variables">
        <div className="atoma-tree-box">
          <TreeView
            label="Mutation variables"
            rootLabel="variables"
            root={liveValue(state.variables)}
            fallbackHeight={120}
          />
        </div>
      </Section>
      <Section title="Causal chain">
        {chain && txn ? (
          <CausalChainView chain={chain} current={txn} onOpenTxn={onOpenTxn} />
        ) : write.txnId === undefined ? (
          <p className="atoma-muted">
            {state.status === 'pending'
              ? 'The write is in flight: its chain shows once it settles.'
              : 'This mutation made no write.'}
          </p>
        ) : (
          <p className="atoma-muted">Transaction #{write.txnId} is no longer in the event buffer.</p>
        )}
      </Section>
      <Section title="Route of the write">
        <RouteView steps={routeSteps(write.route, 'live')} />
      </Section>
    </>
  )
}
