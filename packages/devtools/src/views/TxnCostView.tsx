import { formatBytes } from '../model/describeEvent.js'
import type { TxnCost } from '../model/txnCost.js'

/** The cost of a commit: listeners notified, components re-rendered, patches, bytes changed. */
export function TxnCostView({ cost }: { cost: TxnCost }) {
  return (
    <>
      <dl className="atoma-cost">
        <div>
          <dt>Listeners notified</dt>
          <dd>{cost.listeners ?? '–'}</dd>
        </div>
        <div>
          <dt>Components re-rendered</dt>
          <dd>{cost.renders}</dd>
        </div>
        <div>
          <dt>Patches</dt>
          <dd>{cost.patches}</dd>
        </div>
        <div>
          <dt>Bytes changed</dt>
          <dd>
            {cost.bytes.approx ? '≈ ' : ''}
            {formatBytes(cost.bytes.bytes)}
          </dd>
        </div>
      </dl>
      {cost.components.length > 0 && (
        <p className="atoma-muted">
          Rendered:{' '}
          {cost.components.map(([name, times]) => (times > 1 ? `${name} ×${times}` : name)).join(', ')}
        </p>
      )}
    </>
  )
}
