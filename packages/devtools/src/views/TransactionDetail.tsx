import { useMemo } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { formatClock, formatMs } from '../model/describeEvent.js'
import type { TravelTarget } from '../model/timeTravel.js'
import { txnCost } from '../model/txnCost.js'
import { originText, type TxnView } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { CausalChainView } from './CausalChainView.js'
import { ChangesView } from './ChangesView.js'
import { PatchList } from './PatchList.js'
import { TxnCostView } from './TxnCostView.js'

export interface TransactionDetailProps {
  data: PanelData
  txn: TxnView
  onOpenTxn(key: string): void
  /** Shows the transaction's before/after snapshot in the State view. */
  onShowSnapshot(key: string, which: TravelTarget): void
}

export function TransactionDetail({ data, txn, onOpenTxn, onShowSnapshot }: TransactionDetailProps) {
  const cost = useMemo(() => txnCost(txn, data.index), [txn, data.index])
  const chain = data.index.chainOf(txn.key)
  const ids = txn.changedIds
  return (
    <>
      <Section title={`Transaction #${txn.txnId}`}>
        <Fields
          items={[
            ['origin', originText(txn.origin)],
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
        <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
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
      <Section title="Cost">
        <TxnCostView cost={cost} />
      </Section>
      {chain && (
        <Section title="Causal chain">
          <CausalChainView chain={chain} current={txn} onOpenTxn={onOpenTxn} />
        </Section>
      )}
      <Section title="Changes (before → after)">
        <ChangesView key={txn.key} txn={txn} />
      </Section>
      <Section title={`Patches (${txn.patchCount})`}>
        <PatchList txn={txn} />
      </Section>
    </>
  )
}
