import type { RuntimeDebugEvent } from '@atoma/runtime'
import type { CausalChain } from '../model/causalChain.js'
import { formatMs } from '../model/describeEvent.js'
import { opDataOf, opStatusOf } from '../model/eventData.js'
import { originText, type TxnView } from '../model/txnView.js'

export interface CausalChainViewProps {
  chain: CausalChain
  current: TxnView
  onOpenTxn(key: string): void
}

/** A write as one chain: optimistic commit → service op → writeback/rollback, with its ops and renders. */
export function CausalChainView({ chain, current, onOpenTxn }: CausalChainViewProps) {
  const txnLink = (txn: TxnView) =>
    txn.key === current.key ? (
      <strong>
        #{txn.txnId} {originText(txn.origin)} (this one)
      </strong>
    ) : (
      <button type="button" className="atoma-link" onClick={() => onOpenTxn(txn.key)}>
        #{txn.txnId} {originText(txn.origin)}
      </button>
    )
  const others = chain.ops.filter((op) => op !== chain.service)
  return (
    <ol className="atoma-chain" aria-label="Causal chain">
      <li>
        <span className="atoma-muted">optimistic </span>
        {chain.optimistic ? txnLink(chain.optimistic) : <em>no longer in the event buffer</em>}
        {chain.optimistic?.changedIds && (
          <span className="atoma-muted"> · ids {chain.optimistic.changedIds.slice(0, 5).join(', ')}</span>
        )}
      </li>
      <li>
        <span className="atoma-muted">service op </span>
        {chain.service ? <OpText op={chain.service} /> : <em>not settled (or not in the buffer)</em>}
      </li>
      {chain.settles.length === 0 ? (
        <li>
          <span className="atoma-muted">settled by </span>
          <em>pending</em>
        </li>
      ) : (
        chain.settles.map((txn) => (
          <li key={txn.key}>
            <span className="atoma-muted">{txn.origin.kind} </span>
            {txnLink(txn)}
          </li>
        ))
      )}
      {others.length > 0 && (
        <li>
          <span className="atoma-muted">ops </span>
          {others.map((op, position) => (
            <span key={op.eventId}>
              {position > 0 && ', '}
              <OpText op={op} />
            </span>
          ))}
        </li>
      )}
      <li>
        <span className="atoma-muted">renders </span>
        {chain.renders.length === 0
          ? 'none recorded'
          : `${chain.renders.length}: ${[...new Set(chain.renders.map((r) => r.name ?? 'anonymous'))].join(', ')}`}
      </li>
    </ol>
  )
}

function OpText({ op }: { op: RuntimeDebugEvent }) {
  const data = opDataOf(op)
  return (
    <span>
      {op.name ?? data?.opId}
      {data && (
        <span className="atoma-muted">
          {' '}
          ({opStatusOf(data)}, {formatMs(data.durationMs)}
          {data.error ? `: ${data.error}` : ''})
        </span>
      )}
    </span>
  )
}
