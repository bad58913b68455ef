import { useState } from 'react'
import { ListBox } from '../components/ListBox.js'
import { formatClock } from '../model/describeEvent.js'
import {
  type PausedAt,
  pauseKey,
  positionOf,
  type TravelTarget,
  targetAt,
  travelSteps,
} from '../model/timeTravel.js'
import { originText } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { type InstanceStore, InstanceStorePicker, resolvePick } from './InstanceStorePicker.js'

export interface TimeTravelViewProps {
  data: PanelData
  pick: InstanceStore | null
  onPick(pick: InstanceStore): void
  paused: ReadonlyMap<string, PausedAt>
  /** Sends a store to a snapshot; `live` means it is the latest one, which ends the pause. */
  onTravel(target: PausedAt, live: boolean): void
}

/**
 * Jumps a store to any transaction's before/after snapshot through the runtime
 * (`applyTransactionSnapshot`), steps back and forth through the app's transactions, and resumes
 * live: the latest transaction's `after`, which leaves paused mode.
 */
export function TimeTravelView({ data, pick: wanted, onPick, paused, onTravel }: TimeTravelViewProps) {
  const [selectedKey, setSelectedKey] = useState<string | null>(null)
  if (data.travel === null)
    return (
      <p className="atoma-empty">
        Time travel needs a live runtime: this is an imported recording, shown read-only.
      </p>
    )
  const pick = resolvePick(data.instances, wanted)
  if (!pick) return <p className="atoma-empty">No runtime has joined the devtools hub.</p>

  const steps = travelSteps(data.historyOf(pick.label, pick.store))
  const pause = paused.get(pauseKey(pick.label, pick.store))
  const position = positionOf(steps, pause)
  const last = steps.length - 1
  const go = (to: number) => {
    const target = targetAt(steps, to)
    if (target) onTravel({ ...pick, ...target }, to === last)
  }
  const jump = (txnId: number, which: TravelTarget) => {
    const live = which === 'after' && txnId === steps[last]?.txnId
    onTravel({ ...pick, txnId, which }, live)
  }
  const selectedIndex = steps.findIndex((txn) => txn.key === selectedKey)
  const selected = steps[selectedIndex]

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <InstanceStorePicker instances={data.instances} value={pick} onChange={onPick} />
        <span role="status" className="atoma-status" data-mode={pause ? 'paused' : 'live'}>
          {pause ? `Paused at txn #${pause.txnId} (${pause.which})` : 'Live'}
        </span>
        <button
          type="button"
          className="atoma-button"
          disabled={position < 0}
          onClick={() => go(position - 1)}
        >
          ◀ Step back
        </button>
        <button
          type="button"
          className="atoma-button"
          disabled={position >= last}
          onClick={() => go(position + 1)}
        >
          Step forward ▶
        </button>
        <button type="button" className="atoma-button" disabled={!pause || last < 0} onClick={() => go(last)}>
          Resume live
        </button>
      </div>
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label={`History of ${pick.store}`}
            count={steps.length}
            selected={selectedIndex}
            onSelect={(index) => setSelectedKey(steps[index]?.key ?? null)}
            empty="No transactions in this store's history (or it runs with light instrumentation)."
            renderOption={(index) => {
              const txn = steps[index]
              if (!txn) return null
              const here =
                index === position ? 'after' : index === position + 1 && position === -1 ? 'before' : null
              return (
                <>
                  <span className="atoma-mono atoma-muted">#{txn.txnId}</span>
                  <span className="atoma-badge">{originText(txn.origin)}</span>
                  <span className="atoma-muted">{formatClock(txn.startedAt)}</span>
                  <span className="atoma-grow" />
                  {here && (
                    <span className="atoma-status" data-mode={pause ? 'paused' : 'live'}>
                      {pause ? `here (${here})` : 'live'}
                    </span>
                  )}
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          {selected ? (
            <>
              <p>
                Transaction #{selected.txnId} · {originText(selected.origin)} · {selected.patchCount} patches
              </p>
              <div style={{ display: 'flex', gap: 6 }}>
                <button type="button" className="atoma-button" onClick={() => jump(selected.txnId, 'before')}>
                  Jump to before #{selected.txnId}
                </button>
                <button type="button" className="atoma-button" onClick={() => jump(selected.txnId, 'after')}>
                  Jump to after #{selected.txnId}
                </button>
              </div>
            </>
          ) : (
            <p className="atoma-empty">Select a transaction to jump to its before or after snapshot.</p>
          )}
        </div>
      </div>
    </div>
  )
}
