import { useMemo, useState } from 'react'
import { ListBox } from '../components/ListBox.js'
import { formatMs } from '../model/describeEvent.js'
import type { TravelTarget } from '../model/timeTravel.js'
import { originText } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { StoreSelect } from './StoreSelect.js'
import { TransactionDetail } from './TransactionDetail.js'

export interface TransactionsViewProps {
  data: PanelData
  selected: string | null
  onSelect(key: string | null): void
  onShowSnapshot(key: string, which: TravelTarget): void
}

/** Every transaction in the event buffer: origin, store, patch count, changed ids, duration. */
export function TransactionsView({ data, selected, onSelect, onShowSnapshot }: TransactionsViewProps) {
  const [store, setStore] = useState<string | null>(null)
  const txns = useMemo(
    () => (store === null ? data.index.txns : data.index.txns.filter((txn) => txn.store === store)),
    [data.index, store],
  )
  const index = selected === null ? -1 : txns.findIndex((txn) => txn.key === selected)
  const txn = selected === null ? undefined : data.index.txnByKey.get(selected)

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <StoreSelect stores={data.index.stores} value={store} onChange={setStore} />
        <span className="atoma-muted">{txns.length} transactions</span>
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label="Transactions"
            count={txns.length}
            selected={index}
            onSelect={(position) => onSelect(txns[position]?.key ?? null)}
            empty="No transactions in the event buffer."
            renderOption={(position) => {
              const item = txns[position]
              if (!item) return null
              return (
                <>
                  <span className="atoma-mono atoma-muted">#{item.txnId}</span>
                  <span
                    className="atoma-badge"
                    data-kind={item.origin.kind === 'rollback' ? 'error' : undefined}
                  >
                    {originText(item.origin)}
                  </span>
                  <span>{item.store}</span>
                  <span className="atoma-muted">{item.patchCount} patches</span>
                  <span className="atoma-cell atoma-grow atoma-muted atoma-mono">
                    {item.changedIds ? item.changedIds.slice(0, 5).map(String).join(', ') : ''}
                  </span>
                  <span className="atoma-muted">{formatMs(item.durationMs)}</span>
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {txn ? (
            <TransactionDetail
              data={data}
              txn={txn}
              onOpenTxn={(key) => onSelect(key)}
              onShowSnapshot={onShowSnapshot}
            />
          ) : (
            <p className="atoma-empty">
              Select a transaction to see its cost, causal chain, diff and patches.
            </p>
          )}
        </div>
      </div>
    </div>
  )
}
