import { originText, type TxnView } from '../model/txnView.js'

/** A transaction's id and origin badge at the start of a list row (a rollback in red). */
export function TxnHead({ txn }: { txn: Pick<TxnView, 'txnId' | 'origin'> }) {
  return (
    <>
      <span className="atoma-mono atoma-muted">#{txn.txnId}</span>
      <span className="atoma-badge" data-kind={txn.origin.kind === 'rollback' ? 'error' : undefined}>
        {originText(txn.origin)}
      </span>
    </>
  )
}
