import { useMemo } from 'react'
import { ListBox } from '../components/ListBox.js'
import { TxnHead } from '../components/TxnHead.js'
import { formatMs } from '../model/describeEvent.js'
import { actionPayload, payloadText } from '../model/payload.js'
import { plural, txnTitle } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import type { TravelTarget } from '../travel/travel.js'
import { StoreSelect } from './StoreSelect.js'
import { TransactionDetail } from './TransactionDetail.js'

export interface TransactionsViewProps {
  data: PanelData
  selected: string | null
  onSelect(key: string | null): void
  onShowSnapshot(key: string, which: TravelTarget): void
  /** The transaction whose causal chain was asked for: its detail opens scrolled to it. */
  chainFor: string | null
  /** The store filter (null: all stores), kept in the panel's settings. */
  store: string | null
  onStore(store: string | null): void
}

/** Every transaction in the event buffer, named by its action or write and what it was about. */
export function TransactionsView({
  data,
  selected,
  onSelect,
  onShowSnapshot,
  chainFor,
  store,
  onStore,
}: TransactionsViewProps) {
  const txns = useMemo(
    () => (store === null ? data.index.txns : data.index.txns.filter((txn) => txn.store === store)),
    [data.index, store],
  )
  const index = selected === null ? -1 : txns.findIndex((txn) => txn.key === selected)
  const txn = selected === null ? undefined : data.index.txnByKey.get(selected)
  const source = data.mode === 'live' ? 'live' : 'json'

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <StoreSelect stores={data.index.stores} value={store} onChange={onStore} />
        <span className="atoma-muted">{plural(txns.length, 'transaction')}</span>
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
              const title = txnTitle(item, payloadText(actionPayload(data.index, item, source), 40))
              return (
                <>
                  <TxnHead txn={item} />
                  <span>{item.store}</span>
                  <span className="atoma-cell atoma-grow" title={title}>
                    {title}
                  </span>
                  <span className="atoma-muted">{plural(item.patchCount, 'patch', 'patches')}</span>
                  <span className="atoma-muted">{formatMs(item.durationMs)}</span>
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {txn ? (
            <TransactionDetail
              key={txn.key}
              data={data}
              txn={txn}
              onOpenTxn={(key) => onSelect(key)}
              onShowSnapshot={onShowSnapshot}
              revealChain={chainFor === txn.key}
            />
          ) : (
            <p className="atoma-empty">
              Select a transaction to see its action, cost, causal chain, diff and patches.
            </p>
          )}
        </div>
      </div>
    </div>
  )
}
