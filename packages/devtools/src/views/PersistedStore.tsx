import { useEffect, useReducer } from 'react'
import { Fields } from '../components/Fields.js'
import { formatBytes, formatClock } from '../model/describeEvent.js'
import type { PersistSourceLike } from '../persist/persistSource.js'

/** A persisted store's journal (`@atoma/journal/persist`): its size, last checkpoint and last recovery. */
export function PersistedStore({ source, store }: { source: PersistSourceLike; store: string }) {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => source.subscribe(rerender), [source])
  const stats = source.stats(store)
  return (
    <section className="atoma-section atoma-pad" aria-label={`Journal of ${store}`}>
      <h3 className="atoma-section-title">
        <span className="atoma-badge" data-kind="ok">
          persisted
        </span>{' '}
        journal {stats.journal}
      </h3>
      <Fields
        items={[
          ['Status', stats.status],
          ['Size', formatBytes(stats.bytes)],
          ['Commits', `${stats.seq} (generation ${stats.generation})`],
          ['Not durable yet', String(stats.pending)],
          [
            'Last checkpoint',
            `commit ${stats.lastCheckpoint.seq}, ${formatBytes(stats.lastCheckpoint.bytes)}${
              stats.lastCheckpoint.at ? ` at ${formatClock(stats.lastCheckpoint.at)}` : ''
            }`,
          ],
          [
            'Last recovery',
            stats.lastRecovery
              ? `${formatClock(stats.lastRecovery.at)}: ${formatBytes(stats.lastRecovery.discarded)} cut (${stats.lastRecovery.reasons.join(', ')})`
              : 'none',
          ],
          ['Last error', stats.lastError],
        ]}
      />
    </section>
  )
}
