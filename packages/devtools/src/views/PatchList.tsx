import { ValueText } from '../components/ValueText.js'
import { VirtualList } from '../components/VirtualList.js'
import { previewOf } from '../model/inspect.js'
import type { TxnView } from '../model/txnView.js'

/** A transaction's patches, windowed: a hydration of 100,000 entities renders a few dozen rows. */
export function PatchList({ txn }: { txn: TxnView }) {
  const count = txn.patchCount - txn.patchesOmitted
  if (count === 0)
    return <p className="atoma-muted">No patches (light instrumentation, or nothing changed).</p>
  return (
    <>
      <div className="atoma-patches">
        <VirtualList
          role="list"
          aria-label="Patches"
          count={count}
          rowHeight={20}
          fallbackHeight={160}
          renderRow={(index, style) => {
            const patch = txn.patchAt(index)
            return (
              // biome-ignore lint/a11y/useSemanticElements: windowed rows sit in a positioned spacer, which ul/li cannot hold
              <div key={index} role="listitem" className="atoma-row atoma-mono" style={style}>
                <span className="atoma-badge">{patch?.op}</span>
                <span className="atoma-key">
                  [{patch?.path.map((segment) => JSON.stringify(segment)).join(', ')}]
                </span>
                {patch?.value && (
                  <span className="atoma-cell atoma-grow">
                    <ValueText value={previewOf(patch.value)} max={200} />
                  </span>
                )}
              </div>
            )
          }}
        />
      </div>
      {txn.patchesOmitted > 0 && (
        <p className="atoma-muted">… {txn.patchesOmitted} more patches not recorded</p>
      )}
    </>
  )
}
