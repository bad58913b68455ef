import type { JsonValue, RuntimeDebugEvent } from '@atoma/runtime'
import { useMemo, useState } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { ListBox } from '../components/ListBox.js'
import { TreeView } from '../components/TreeView.js'
import { formatMs } from '../model/describeEvent.js'
import { opDataOf, opStatusOf } from '../model/eventData.js'
import { jsonValue, liveValue } from '../model/inspect.js'
import { routeSteps } from '../model/route.js'
import { originText, plural, txnKey } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { RouteView } from './RouteView.js'

export interface OpsViewProps {
  data: PanelData
  onOpenTxn(key: string): void
  /** All ops, or failed ones only (aborted ops are not failures); kept in the panel's settings. */
  status: StatusFilter
  onStatus(status: StatusFilter): void
}

export type StatusFilter = 'all' | 'error'

/** EffectOp traces, each linked op → the transaction it committed → the components it re-rendered. */
export function OpsView({ data, onOpenTxn, status, onStatus: setStatus }: OpsViewProps) {
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const ops = useMemo(
    () =>
      status === 'all'
        ? data.index.ops
        : data.index.ops.filter((op) => {
            const opData = opDataOf(op)
            return opData !== undefined && opStatusOf(opData) === 'error'
          }),
    [data.index, status],
  )
  const selected = selectedId === null ? -1 : ops.findIndex((op) => op.eventId === selectedId)
  const op = ops[selected]

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <select
          className="atoma-input"
          aria-label="Status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}
        >
          <option value="all">All ops</option>
          <option value="error">Failed ops</option>
        </select>
        <span className="atoma-muted">{plural(ops.length, 'op')}</span>
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label="EffectOps"
            count={ops.length}
            selected={selected}
            onSelect={(index) => setSelectedId(ops[index]?.eventId ?? null)}
            empty="No EffectOp has settled yet."
            renderOption={(index) => {
              const item = ops[index]
              const opData = item && opDataOf(item)
              if (!item) return null
              const renders =
                item.txnId === undefined
                  ? 0
                  : (data.index.rendersByTxn.get(txnKey(item.runtimeLabel, item.txnId))?.length ?? 0)
              return (
                <>
                  <span className="atoma-badge" data-kind={opData ? opStatusOf(opData) : undefined}>
                    {opData ? opStatusOf(opData) : '?'}
                  </span>
                  <span className="atoma-muted">{opData?.opKind}</span>
                  <span className="atoma-cell atoma-grow">{item.name ?? opData?.opId}</span>
                  <span className="atoma-muted">{item.txnId === undefined ? '' : `txn #${item.txnId}`}</span>
                  <span className="atoma-muted">{renders > 0 ? plural(renders, 'render') : ''}</span>
                  <span className="atoma-muted">{opData ? formatMs(opData.durationMs) : ''}</span>
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {op ? (
            <OpDetail data={data} op={op} onOpenTxn={onOpenTxn} />
          ) : (
            <p className="atoma-empty">Select an op to follow it to its transaction and renders.</p>
          )}
        </div>
      </div>
    </div>
  )
}

function OpDetail({
  data,
  op,
  onOpenTxn,
}: {
  data: PanelData
  op: RuntimeDebugEvent
  onOpenTxn(key: string): void
}) {
  const opData = opDataOf(op)
  const key = op.txnId === undefined ? undefined : txnKey(op.runtimeLabel, op.txnId)
  const txn = key === undefined ? undefined : data.index.txnByKey.get(key)
  const renders = key === undefined ? [] : (data.index.rendersByTxn.get(key) ?? [])
  return (
    <>
      <Section title="Op">
        <Fields
          items={[
            ['name', op.name],
            ['id', opData?.opId],
            ['kind', opData?.opKind],
            ['status', opData ? opStatusOf(opData) : undefined],
            ['duration', opData ? formatMs(opData.durationMs) : undefined],
            ['error', opData?.error],
            ['code', opData?.errorCode],
            ['store', op.store],
            ['runtime', op.runtimeLabel],
          ]}
        />
      </Section>
      <Section title="Transaction">
        {op.txnId === undefined ? (
          <p className="atoma-muted">This op names no transaction.</p>
        ) : txn ? (
          <p>
            <button type="button" className="atoma-link" onClick={() => onOpenTxn(txn.key)}>
              #{txn.txnId} {originText(txn.origin)} on {txn.store}
            </button>{' '}
            <span className="atoma-muted">
              · {plural(txn.patchCount, 'patch', 'patches')} · {formatMs(txn.durationMs)}
            </span>
          </p>
        ) : (
          <p className="atoma-muted">
            #{op.txnId} is not in the event buffer (evicted, or it never committed).
          </p>
        )}
      </Section>
      {opData?.hasPayload && (
        <Section title="Payload">
          <div className="atoma-tree-box">
            <TreeView
              label="Op payload"
              rootLabel="payload"
              root={
                data.mode === 'live'
                  ? liveValue(opData.payload)
                  : jsonValue((opData.payload ?? null) as JsonValue)
              }
              fallbackHeight={120}
            />
          </div>
        </Section>
      )}
      {opData?.route && (
        <Section title="Route (request, response, HTTP status)">
          <RouteView steps={routeSteps(opData.route, data.mode === 'live' ? 'live' : 'json')} />
        </Section>
      )}
      <Section title={`Renders (${renders.length})`}>
        {renders.length === 0 ? (
          <p className="atoma-muted">No component re-rendered because of this transaction.</p>
        ) : (
          <ul aria-label="Rendered components">
            {renders.map((render) => (
              <li key={render.eventId}>{render.name ?? 'anonymous'}</li>
            ))}
          </ul>
        )}
      </Section>
    </>
  )
}
