import { useEffect, useMemo, useRef, useState } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { TreeView } from '../components/TreeView.js'
import { compareSnapshots } from '../model/compare.js'
import { formatClock, formatMs } from '../model/describeEvent.js'
import { actionPayload } from '../model/payload.js'
import { txnCost } from '../model/txnCost.js'
import { originText, plural, type TxnView } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import type { TravelTarget } from '../travel/travel.js'
import { CausalChainView } from './CausalChainView.js'
import { ChangesView } from './ChangesView.js'
import { FlowChainView } from './FlowChainView.js'
import { PatchList } from './PatchList.js'
import { TxnCostView } from './TxnCostView.js'

export interface TransactionDetailProps {
  data: PanelData
  txn: TxnView
  onOpenTxn(key: string): void
  /** Shows the transaction's before/after snapshot in the State view. */
  onShowSnapshot(key: string, which: TravelTarget): void
  /** Scrolls its causal chain into view (opened from a logic run, say). */
  revealChain?: boolean
}

export function TransactionDetail({
  data,
  txn,
  onOpenTxn,
  onShowSnapshot,
  revealChain = false,
}: TransactionDetailProps) {
  const cost = useMemo(() => txnCost(txn, data.index), [txn, data.index])
  const chain = data.index.chainOf(txn.key)
  const { caused, causedBy } = data.index.flowsOf(txn.key)
  const payload = actionPayload(data.index, txn, data.mode === 'live' ? 'live' : 'json')
  const ids = txn.changedIds
  const changes = useMemo(() => txn.changes.bind(txn), [txn])
  const chainRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (revealChain) chainRef.current?.scrollIntoView?.({ block: 'start' })
  }, [revealChain])
  return (
    <>
      <Section title={`Transaction #${txn.txnId}`}>
        <Fields
          items={[
            ['origin', originText(txn.origin)],
            ['action', txn.origin.kind === 'action' ? txn.origin.name : undefined],
            ['entity', txn.entityName()],
            ['store', txn.store],
            ['runtime', txn.label],
            ['write', txn.origin.opId],
            ['started', formatClock(txn.startedAt)],
            ['duration', formatMs(txn.durationMs)],
            [
              'changed ids',
              ids === undefined
                ? undefined
                : `${ids.slice(0, 20).map(String).join(', ')}${ids.length > 20 ? ` … (${ids.length})` : ''}`,
            ],
          ]}
        />
        <div className="atoma-actions">
          {(['before', 'after'] as const).map((which) => (
            <button
              key={which}
              type="button"
              className="atoma-button"
              disabled={txn.snapshot(which) === undefined}
              onClick={() => onShowSnapshot(txn.key, which)}
            >
              State {which}
            </button>
          ))}
        </div>
      </Section>
      {payload && (
        <Section title="Payload">
          <div className="atoma-tree-box">
            <TreeView label="Action payload" rootLabel="payload" root={payload} fallbackHeight={120} />
          </div>
        </Section>
      )}
      <Section title="Cost">
        <TxnCostView cost={cost} />
      </Section>
      {(chain || caused || causedBy) && (
        <div ref={chainRef}>
          <Section title="Causal chain">
            {/* Upstream first: the run that made this commit, then its write chain, then what it triggered. */}
            {causedBy && (
              <FlowChainView
                chain={causedBy}
                label="Logic run that made it"
                current={txn.key}
                onOpenTxn={onOpenTxn}
              />
            )}
            {chain && <CausalChainView chain={chain} current={txn} onOpenTxn={onOpenTxn} />}
            {caused && (
              <FlowChainView
                chain={caused}
                label="Logic runs it triggered"
                current={txn.key}
                onOpenTxn={onOpenTxn}
              />
            )}
          </Section>
        </div>
      )}
      <Section title="Changes (before → after)">
        <ChangesView store={txn.store} changes={changes} />
      </Section>
      <Section title={`Patches (${txn.patchCount})`}>
        <PatchList txn={txn} />
      </Section>
      <CompareSection data={data} txn={txn} />
    </>
  )
}

/** The state after this transaction against the state after any other one of the same store. */
function CompareSection({ data, txn }: { data: PanelData; txn: TxnView }) {
  const [picking, setPicking] = useState(false)
  if (!picking)
    return (
      <Section title="Compare with another transaction">
        <button type="button" className="atoma-button" onClick={() => setPicking(true)}>
          Compare with…
        </button>
      </Section>
    )
  return <ComparePicker data={data} txn={txn} />
}

/** The nearest transactions of the same store: a picker of thousands would cost more than the view. */
const NEAREST = 200

function ComparePicker({ data, txn }: { data: PanelData; txn: TxnView }) {
  const others = useMemo(() => {
    const same = data.index.txns.filter(
      (other) => other.store === txn.store && other.label === txn.label && other !== txn,
    )
    const at = same.findIndex((other) => other.txnId > txn.txnId)
    const middle = at < 0 ? same.length : at
    return same.slice(Math.max(0, middle - NEAREST / 2), middle + NEAREST / 2)
  }, [data.index, txn])
  const [otherKey, setOtherKey] = useState<string>('')
  const other = others.find((item) => item.key === otherKey)
  const changes = useMemo(() => {
    if (!other) return undefined
    const [older, newer] = other.txnId < txn.txnId ? [other, txn] : [txn, other]
    return compareSnapshots(older.snapshot('after'), newer.snapshot('after'))
  }, [other, txn])
  if (others.length === 0)
    return (
      <Section title="Compare with another transaction">
        <p className="atoma-muted">No other transaction of {txn.store} in the event buffer.</p>
      </Section>
    )
  const [older, newer] = other && other.txnId > txn.txnId ? [txn, other] : [other, txn]
  return (
    <Section title="Compare with another transaction">
      <select
        className="atoma-input"
        aria-label="Compare with"
        value={otherKey}
        onChange={(event) => setOtherKey(event.currentTarget.value)}
      >
        <option value="">Pick a transaction of {txn.store}…</option>
        {others.map((item) => (
          <option key={item.key} value={item.key}>
            #{item.txnId} {originText(item.origin)} · {plural(item.patchCount, 'patch', 'patches')}
          </option>
        ))}
      </select>
      {other && older && newer && changes && (
        <>
          <p className="atoma-muted">
            State after #{older.txnId} → state after #{newer.txnId}
          </p>
          {older.snapshot('after') === undefined || newer.snapshot('after') === undefined ? (
            <p className="atoma-muted">
              One of them kept no snapshot (light instrumentation, or a recorded collection).
            </p>
          ) : (
            <ChangesView
              key={other.key}
              store={txn.store}
              changes={changes}
              empty="The two states are the same."
            />
          )}
        </>
      )}
    </Section>
  )
}
