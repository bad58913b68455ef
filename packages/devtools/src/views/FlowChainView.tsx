import type { RuntimeDebugEvent } from '@atoma/runtime'
import { formatMs } from '../model/describeEvent.js'
import type { ChainTxn, FlowChain, FlowRun } from '../model/flowChain.js'
import { originText } from '../model/txnView.js'

export interface FlowChainViewProps {
  chain: FlowChain
  /** Its accessible name: a transaction may show the chain it came from and the one it started. */
  label: string
  /** The transaction shown (marked "this one"), if any. */
  current: string | undefined
  onOpenTxn(key: string): void
}

/**
 * What logic did after a commit, as one chain: the commit (an action's) → each watcher run it
 * triggered, with its mode and outcome → the commits the run made → their renders.
 */
export function FlowChainView({ chain, label, current, onOpenTxn }: FlowChainViewProps) {
  const txnLink = (item: ChainTxn) => <TxnLink item={item} current={current} onOpenTxn={onOpenTxn} />
  return (
    <ol className="atoma-chain" aria-label={label}>
      <li>
        <span className="atoma-muted">trigger </span>
        {chain.trigger ? txnLink(chain.trigger) : <em>a source, not a commit</em>}
        {chain.trigger && <Renders renders={chain.trigger.renders} />}
      </li>
      {chain.runs.map((flow) => (
        <li key={flow.run.event.eventId} data-run={flow.run.data.status}>
          <RunText flow={flow} />
          {flow.writes.length > 0 ? (
            <ul className="atoma-chain-writes">
              {flow.writes.map((write) => (
                <li key={write.key}>
                  <span className="atoma-muted">wrote </span>
                  {txnLink(write)}
                  <Renders renders={write.renders} />
                </li>
              ))}
            </ul>
          ) : (
            <span className="atoma-muted"> · wrote nothing</span>
          )}
        </li>
      ))}
    </ol>
  )
}

function TxnLink({
  item,
  current,
  onOpenTxn,
}: {
  item: ChainTxn
  current: string | undefined
  onOpenTxn(key: string): void
}) {
  const text = item.txn ? `#${item.txnId} ${originText(item.txn.origin)}` : `#${item.txnId}`
  if (item.key === current) return <strong>{text} (this one)</strong>
  if (!item.txn) return <span>{text} (no longer in the event buffer)</span>
  return (
    <button type="button" className="atoma-link" onClick={() => onOpenTxn(item.key)}>
      {text}
    </button>
  )
}

function RunText({ flow }: { flow: FlowRun }) {
  const { data } = flow.run
  return (
    <span>
      <span className="atoma-muted">run </span>
      {data.logic}/{data.label}
      <span className="atoma-muted">
        {' '}
        ({data.mode},{' '}
        <span className={data.status === 'failed' ? 'atoma-error' : undefined}>{data.status}</span>
        {data.durationMs === undefined ? '' : `, ${formatMs(data.durationMs)}`}
        {flow.op ? `, op ${data.opId}` : ''})
      </span>
      {data.error && <span className="atoma-error">: {data.error}</span>}
    </span>
  )
}

function Renders({ renders }: { renders: readonly RuntimeDebugEvent[] }) {
  if (renders.length === 0) return null
  return (
    <span className="atoma-muted">
      {' '}
      → {renders.length} {renders.length === 1 ? 'render' : 'renders'}:{' '}
      {[...new Set(renders.map((r) => r.name ?? 'anonymous'))].join(', ')}
    </span>
  )
}
