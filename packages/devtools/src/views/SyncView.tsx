import { useEffect, useReducer } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { formatClock } from '../model/describeEvent.js'
import { plural } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { type SyncSourceLike, syncSourcesOf } from '../sync/syncSource.js'

/**
 * The sync orchestrator of each runtime that has one (`@atoma/sync`): whether it reaches the server,
 * pushes, leads the tabs, keeps its poke stream open; the last pull and the cursor; and the outbox,
 * entry by entry, with its attempts and last error. Sync transactions themselves (`origin.kind`
 * `sync`) are in the Transactions view and its causal chain like any other.
 */
export function SyncView({ data }: { data: PanelData }) {
  const found = data.mode === 'live' ? syncSourcesOf(data.instances.map((info) => info.label)) : []
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  // Re-renders on every status change (the outbox size is part of it); subscriptions follow the sources.
  const key = found.map((f) => f.label).join('\u0000')
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the sources found.
  useEffect(() => {
    const stops = found.map(({ source }) => source.subscribe(rerender))
    return () => {
      for (const stop of stops) stop()
    }
  }, [key])

  if (data.mode !== 'live')
    return <p className="atoma-empty">A recording has no sync state: this view reads a live runtime.</p>
  if (found.length === 0)
    return (
      <p className="atoma-empty">
        No runtime on this page syncs. Add <code>sync({'{ baseUrl }'})</code> from @atoma/sync to a runtime
        created with devtools on.
      </p>
    )
  return (
    <div className="atoma-panel atoma-scroll">
      {found.map(({ label, source }) => (
        <SyncRuntime key={label} label={label} source={source} />
      ))}
    </div>
  )
}

function SyncRuntime({ label, source }: { label: string; source: SyncSourceLike }) {
  const status = source.status()
  const outbox = source.outbox()
  const yesNo = (value: boolean) => (value ? 'yes' : 'no')
  return (
    <Section title={`Sync · ${label}`}>
      <Fields
        items={[
          ['Online', yesNo(status.online)],
          ['Leader tab', yesNo(status.leader)],
          ['Poke stream', status.connected ? 'open' : 'closed'],
          ['Pushing', yesNo(status.pushing)],
          ['Pending', plural(status.pending, 'entry', 'entries')],
          ['Last pull', status.lastPulledAt === undefined ? 'never' : formatClock(status.lastPulledAt)],
          [
            'Cursor',
            <span key="cursor" className="atoma-mono">
              {source.cursor() ?? '—'}
            </span>,
          ],
          [
            'Last error',
            status.lastError ? (
              <span key="error" className="atoma-error">
                {status.lastError.code}: {status.lastError.message}
              </span>
            ) : (
              '—'
            ),
          ],
        ]}
      />
      {outbox.length === 0 ? (
        <p className="atoma-empty">The outbox is empty: the server has every write.</p>
      ) : (
        <table className="atoma-table" aria-label={`Outbox of ${label}`}>
          <thead>
            <tr>
              <th>#</th>
              <th>Store</th>
              <th>Op</th>
              <th>Id</th>
              <th>Base</th>
              <th>Attempts</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {outbox.map((record) => (
              <tr key={record.seq} data-kind={record.lastError ? 'error' : undefined}>
                <td className="atoma-mono">{record.seq}</td>
                <td>{record.store}</td>
                <td>
                  {record.entry.op}
                  {record.resolution ? ` (${record.resolution})` : ''}
                </td>
                <td className="atoma-mono">{String(record.entry.id)}</td>
                <td className="atoma-mono">{record.entry.baseVersion ?? '—'}</td>
                <td>{record.attempts}</td>
                <td>{record.lastError ? `${record.lastError.code}: ${record.lastError.message}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  )
}
