import type { JsonValue, RuntimeDebugEvent } from '@atoma/runtime'
import { Fields, Section } from '../components/Fields.js'
import { TreeView } from '../components/TreeView.js'
import { formatClock } from '../model/describeEvent.js'
import { jsonValue, liveValue } from '../model/inspect.js'
import { txnKey } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'

export interface EventDetailProps {
  data: PanelData
  event: RuntimeDebugEvent
  onOpenTxn(key: string): void
}

export function EventDetail({ data, event, onOpenTxn }: EventDetailProps) {
  const key = event.txnId === undefined ? undefined : txnKey(event.runtimeLabel, event.txnId)
  const txn = key === undefined ? undefined : data.index.txnByKey.get(key)
  return (
    <>
      <Section title={`Event #${event.eventId}`}>
        <Fields
          items={[
            ['kind', event.kind],
            ['time', formatClock(event.timestamp)],
            ['runtime', event.runtimeLabel],
            ['store', event.store],
            ['name', event.name],
            ['origin', event.originKind],
            ['patches', event.patchCount],
            [
              'transaction',
              event.txnId === undefined ? undefined : txn ? (
                <button key="txn" type="button" className="atoma-link" onClick={() => onOpenTxn(txn.key)}>
                  #{event.txnId}
                </button>
              ) : (
                `#${event.txnId}`
              ),
            ],
          ]}
        />
      </Section>
      {event.data !== undefined && (
        <Section title="Data">
          <div style={{ height: 240, display: 'flex' }}>
            <TreeView
              key={event.eventId}
              label="Event data"
              rootLabel="data"
              root={data.mode === 'live' ? liveValue(event.data) : jsonValue(event.data as JsonValue)}
              fallbackHeight={240}
            />
          </div>
        </Section>
      )}
    </>
  )
}
