import type { JsonValue, RuntimeDebugEvent } from '@atoma/runtime'
import { Fields, Section } from '../components/Fields.js'
import { TreeView } from '../components/TreeView.js'
import { formatClock, formatMs } from '../model/describeEvent.js'
import { opDataOf, opStatusOf } from '../model/eventData.js'
import { jsonValue, liveValue } from '../model/inspect.js'
import { payloadText } from '../model/payload.js'
import { routeSteps } from '../model/route.js'
import { txnKey } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { RouteView } from './RouteView.js'

export interface EventDetailProps {
  data: PanelData
  event: RuntimeDebugEvent
  onOpenTxn(key: string): void
}

export function EventDetail({ data, event, onOpenTxn }: EventDetailProps) {
  const key = event.txnId === undefined ? undefined : txnKey(event.runtimeLabel, event.txnId)
  const txn = key === undefined ? undefined : data.index.txnByKey.get(key)
  // An op's data is shown as fields (its duration rounded), not as the raw record.
  const op = opDataOf(event)
  const source = (value: unknown) =>
    data.mode === 'live' ? liveValue(value) : jsonValue((value ?? null) as JsonValue)
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
            ['duration', txn ? formatMs(txn.durationMs) : undefined],
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
      {op && (
        <Section title="Op">
          <Fields
            items={[
              ['op', op.opId],
              ['kind', op.opKind],
              ['status', opStatusOf(op)],
              ['duration', formatMs(op.durationMs)],
              ['error', op.error],
              ['code', op.errorCode],
              ['payload', op.hasPayload ? payloadText(source(op.payload), 120) : undefined],
            ]}
          />
          {op.route && <RouteView steps={routeSteps(op.route, data.mode === 'live' ? 'live' : 'json')} />}
        </Section>
      )}
      {event.data !== undefined && !op && (
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
