import type { DebugEventKind } from '@atoma/runtime'
import { useMemo, useState } from 'react'
import { ListBox } from '../components/ListBox.js'
import { SearchBox } from '../components/SearchBox.js'
import { describeEvent, EVENT_KINDS, formatClock, toneOf } from '../model/describeEvent.js'
import { type EventFilter, filterEvents } from '../model/filterEvents.js'
import type { PanelData } from '../source/panelData.js'
import { EventDetail } from './EventDetail.js'
import { StoreSelect } from './StoreSelect.js'

export interface TimelineViewProps {
  data: PanelData
  onOpenTxn(key: string): void
  /** Kinds, store and text, kept in the panel's settings. */
  filter: EventFilter
  onFilter(filter: EventFilter): void
}

/**
 * Every hub event, newest last, filtered by kind, store and text. The list follows the newest
 * event unless the user scrolled up; failures are coloured as errors, aborted ops as neither.
 */
export function TimelineView({ data, onOpenTxn, filter, onFilter: setFilter }: TimelineViewProps) {
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const events = useMemo(() => filterEvents(data.events, filter), [data.events, filter])
  const selected = selectedId === null ? -1 : events.findIndex((event) => event.eventId === selectedId)
  const event = events[selected]

  const toggleKind = (kind: DebugEventKind) => {
    const kinds = new Set(filter.kinds)
    if (kinds.has(kind)) kinds.delete(kind)
    else kinds.add(kind)
    setFilter({ ...filter, kinds })
  }

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <SearchBox
          label="Search events"
          placeholder="Search…"
          value={filter.text}
          onChange={(text) => setFilter({ ...filter, text })}
        />
        <StoreSelect
          stores={data.index.stores}
          value={filter.store}
          onChange={(store) => setFilter({ ...filter, store })}
        />
        <fieldset className="atoma-kinds">
          <legend className="atoma-hidden">Event kinds</legend>
          {EVENT_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className="atoma-button"
              aria-pressed={filter.kinds.has(kind)}
              onClick={() => toggleKind(kind)}
            >
              {kind}
            </button>
          ))}
        </fieldset>
        <span className="atoma-muted" aria-live="polite">
          {events.length} of {data.events.length} events
        </span>
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label="Events"
            count={events.length}
            selected={selected}
            onSelect={(index) => setSelectedId(events[index]?.eventId ?? null)}
            empty={data.events.length === 0 ? 'No events yet.' : 'No event matches the filters.'}
            stickToEnd
            toneOf={(index) => {
              const item = events[index]
              return item && toneOf(item)
            }}
            renderOption={(index) => {
              const item = events[index]
              if (!item) return null
              return (
                <>
                  <span className="atoma-muted atoma-mono">{formatClock(item.timestamp)}</span>
                  <span className="atoma-badge" data-kind={toneOf(item) ?? item.kind}>
                    {item.kind}
                  </span>
                  <span className="atoma-muted">{item.store ?? item.runtimeLabel}</span>
                  <span className="atoma-cell atoma-grow">{describeEvent(item)}</span>
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {event ? (
            <EventDetail data={data} event={event} onOpenTxn={onOpenTxn} />
          ) : (
            <p className="atoma-empty">Select an event to see its fields and data.</p>
          )}
        </div>
      </div>
    </div>
  )
}
