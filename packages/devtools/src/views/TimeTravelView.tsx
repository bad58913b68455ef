import type { TxnRecord } from '@atoma/runtime'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Fields, Section } from '../components/Fields.js'
import { ListBox } from '../components/ListBox.js'
import { TreeView } from '../components/TreeView.js'
import { TxnHead } from '../components/TxnHead.js'
import { formatClock } from '../model/describeEvent.js'
import { liveValue } from '../model/inspect.js'
import { changedKeysOf, compareStates } from '../model/liveChanges.js'
import { actionPayload, payloadText } from '../model/payload.js'
import { originText, plural, txnTitle } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import type { Override, TravelTarget } from '../travel/travel.js'
import { ChangesView } from './ChangesView.js'
import { type InstanceStore, InstanceStorePicker, resolvePick } from './InstanceStorePicker.js'

export interface TimeTravelViewProps {
  data: PanelData
  pick: InstanceStore | null
  onPick(pick: InstanceStore): void
  /** Reports a refused or failed move (a skip with a dependent transaction, an evicted snapshot). */
  onNotice(text: string): void
}

const SPEEDS = [0.5, 1, 2, 4, 8] as const

/**
 * Time travel over one store: a slider over its app transactions (position i is the state before
 * step i, the last one is live) with play/pause and speed, steps, jumps to any transaction's
 * before/after, skipping a transaction (the later ones replayed from their recorded patches), and
 * Resume live, which rebuilds the true latest state. Every move is one `devtools` commit; none
 * re-runs a recipe or any IO.
 */
export function TimeTravelView({ data, pick: wanted, onPick, onNotice }: TimeTravelViewProps) {
  const [selectedKey, setSelectedKey] = useState<string | null>(null)
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(2)
  const [playing, setPlaying] = useState(false)
  const pick = resolvePick(data, wanted)
  const travel = data.travel
  const steps = pick ? travel.steps(pick.label, pick.store) : []
  const override = pick ? travel.overrideOf(pick.label, pick.store) : undefined
  const paused = pick ? travel.pausedCommits(pick.label, pick.store) : []
  const last = steps.length
  const position = positionOf(steps, override)

  const attempt = (move: () => void): boolean => {
    try {
      move()
      return true
    } catch (error) {
      onNotice(`Time travel failed: ${error instanceof Error ? error.message : String(error)}`)
      return false
    }
  }
  const go = (to: number): boolean => {
    if (!pick) return false
    const target = steps[to]
    return attempt(() => {
      if (to >= last || !target) travel.resume(pick.label, pick.store)
      else travel.jump(pick.label, pick.store, target.txnId, 'before')
    })
  }

  // Play: one step per tick at the chosen speed, until live.
  const latest = useRef({ go, position, last })
  latest.current = { go, position, last }
  useEffect(() => {
    if (!playing) return
    const timer = setInterval(() => {
      const { go: move, position: at, last: end } = latest.current
      if (at >= end || !move(at + 1) || at + 1 >= end) setPlaying(false)
    }, 1000 / speed)
    return () => clearInterval(timer)
  }, [playing, speed])

  if (!pick) return <p className="atoma-empty">No runtime has joined the devtools hub.</p>

  const selectedIndex = steps.findIndex((record) => `${pick.label}\u0000${record.txnId}` === selectedKey)
  const selected = steps[selectedIndex]
  const play = () => {
    if (playing) return setPlaying(false)
    // From live (or the end), play the whole history again from its start.
    if (position >= last && !go(0)) return
    setPlaying(true)
  }

  return (
    <div className="atoma-panel">
      <div className="atoma-toolbar">
        <InstanceStorePicker instances={data.instances} value={pick} onChange={onPick} />
        <span role="status" className="atoma-status" data-mode={override ? 'paused' : 'live'}>
          {statusText(override)}
        </span>
        <button
          type="button"
          className="atoma-button"
          disabled={position <= 0}
          onClick={() => go(position - 1)}
        >
          ◀ Step back
        </button>
        <button
          type="button"
          className="atoma-button"
          aria-pressed={playing}
          disabled={last === 0}
          onClick={play}
        >
          {playing ? '⏸ Pause' : '▶ Play'}
        </button>
        <button
          type="button"
          className="atoma-button"
          disabled={position >= last || !override}
          onClick={() => go(position + 1)}
        >
          Step forward ▶
        </button>
        <select
          className="atoma-input"
          aria-label="Speed"
          value={speed}
          onChange={(event) => setSpeed(Number(event.currentTarget.value) as (typeof SPEEDS)[number])}
        >
          {SPEEDS.map((value) => (
            <option key={value} value={value}>
              {value}× ({plural(value, 'step')}/s)
            </option>
          ))}
        </select>
        <button
          type="button"
          className="atoma-button"
          disabled={!override}
          onClick={() => {
            setPlaying(false)
            attempt(() => travel.resume(pick.label, pick.store))
          }}
        >
          Resume live
        </button>
      </div>
      <div className="atoma-toolbar atoma-slider-row">
        <input
          type="range"
          className="atoma-slider"
          aria-label="History position"
          aria-valuetext={position >= last ? 'live' : `before #${steps[position]?.txnId}`}
          min={0}
          max={last}
          step={1}
          value={position}
          disabled={last === 0}
          onChange={(event) => {
            setPlaying(false)
            go(Number(event.currentTarget.value))
          }}
        />
        <span className="atoma-muted atoma-nowrap">
          {position >= last ? `live · ${plural(last, 'step')}` : `${position} / ${last}`}
        </span>
      </div>
      {override && (
        <div className="atoma-notice" data-kind="paused" role="note">
          <span className="atoma-grow">
            {paused.length > 0
              ? `${plural(paused.length, 'live change')} while paused: the app kept working on the state shown. `
              : `${override.at ? 'Paused' : 'Skipping'}: the app keeps working on the state shown; its changes are counted here. `}
            Resume live rebuilds the true latest state (confirmed data, pending writes and everything
            committed while paused). Travelling sends nothing to the backend.
          </span>
        </div>
      )}
      <div className="atoma-split">
        <div className="atoma-pane">
          <ListBox
            label={`History of ${pick.store}`}
            count={steps.length}
            selected={selectedIndex}
            onSelect={(index) => {
              const record = steps[index]
              setSelectedKey(record ? `${pick.label}\u0000${record.txnId}` : null)
            }}
            empty="No transactions in this store's history (or it runs with light instrumentation)."
            renderOption={(index) => {
              const record = steps[index]
              if (!record) return null
              const view = data.viewOf(pick.label, record)
              const skipped = override?.skipped.has(record.txnId) === true
              const here =
                position === index ? 'before' : position === index + 1 && index === last - 1 ? 'after' : null
              return (
                <>
                  <TxnHead txn={record} />
                  <span className={`atoma-cell atoma-grow${skipped ? ' atoma-skipped' : ''}`}>
                    {txnTitle(view, payloadText(actionPayload(data.index, view, 'live'), 30))}
                  </span>
                  {skipped && <span className="atoma-badge">skipped</span>}
                  <span className="atoma-muted">{formatClock(record.startedAt)}</span>
                  {here && override?.at && (
                    <span className="atoma-status" data-mode="paused">
                      here ({here})
                    </span>
                  )}
                  {index === last - 1 && !override && (
                    <span className="atoma-status" data-mode="live">
                      live
                    </span>
                  )}
                </>
              )
            }}
          />
        </div>
        <div className="atoma-detail">
          <PointDetail
            data={data}
            pick={pick}
            record={selected}
            override={override}
            position={position}
            steps={steps}
            onJump={(txnId, which) => {
              setPlaying(false)
              attempt(() => travel.jump(pick.label, pick.store, txnId, which))
            }}
            onSkip={(txnId) => {
              setPlaying(false)
              let outcome: ReturnType<typeof travel.toggleSkip> | undefined
              if (!attempt(() => (outcome = travel.toggleSkip(pick.label, pick.store, txnId)))) return
              if (outcome && !outcome.ok) onNotice(`Cannot skip #${txnId}: ${outcome.reason}.`)
            }}
          />
        </div>
      </div>
    </div>
  )
}

function statusText(override: Override | undefined): string {
  if (!override) return 'Live'
  if (override.at) return `Paused at txn #${override.at.txnId} (${override.at.which})`
  return `Skipping ${[...override.skipped].map((id) => `#${id}`).join(', ')}`
}

/** Position i = before steps[i]; steps.length = after the last one (live, or paused there). */
function positionOf(steps: readonly TxnRecord[], override: Override | undefined): number {
  if (!override?.at) return steps.length
  const index = steps.findIndex((record) => record.txnId === override.at?.txnId)
  if (index < 0) return steps.length
  return override.at.which === 'before' ? index : index + 1
}

interface PointDetailProps {
  data: PanelData
  pick: InstanceStore
  record: TxnRecord | undefined
  override: Override | undefined
  position: number
  steps: readonly TxnRecord[]
  onJump(txnId: number, which: TravelTarget): void
  onSkip(txnId: number): void
}

/** The selected point (a row, else where the store is now): its state, and what differs from live. */
function PointDetail({ data, pick, record, override, position, steps, onJump, onSkip }: PointDetailProps) {
  const travel = data.travel
  const point: { title: string; state: unknown } | undefined = record
    ? { title: `after #${record.txnId}`, state: record.after }
    : override
      ? { title: 'shown now', state: travel.shown(pick.label, pick.store) }
      : undefined
  const live = point ? travel.trueState(pick.label, pick.store) : undefined
  const state = point?.state
  // Only what the transactions since that point changed can differ from live: compare those
  // entities, not a 100,000-entity collection entry by entry, on every step of the slider. A
  // skip view differs from its first skipped transaction on, which the override does not say.
  const at = override?.at
  const since = useMemo(() => {
    if (override && !at) return undefined
    const from = record
      ? steps.indexOf(record) + 1
      : at
        ? steps.findIndex((item) => item.txnId === at.txnId) + (at.which === 'after' ? 1 : 0)
        : steps.length
    return changedKeysOf([...steps.slice(Math.max(0, from)), ...travel.pausedCommits(pick.label, pick.store)])
  }, [travel, pick.label, pick.store, override, at, record, steps])
  const changes = useMemo(() => compareStates(state, live, since), [state, live, since])
  if (!point)
    return (
      <p className="atoma-empty">
        Select a transaction to see the state after it and its diff against live, to jump to it or to skip it.{' '}
        {position >= steps.length ? 'The store is live.' : ''}
      </p>
    )
  const view = record ? data.viewOf(pick.label, record) : undefined
  const skipped = record ? override?.skipped.has(record.txnId) === true : false
  const approximate = record ? data.approximate.has(`${pick.label}\u0000${record.txnId}`) : false
  return (
    <>
      {record && view && (
        <Section title={`Transaction #${record.txnId}`}>
          <Fields
            items={[
              ['origin', originText(record.origin)],
              ['what', txnTitle(view, payloadText(actionPayload(data.index, view, 'live'), 60))],
              ['patches', plural(record.patches.length, 'patch', 'patches')],
              ['started', formatClock(record.startedAt)],
              ['rebuilt', approximate ? 'approximately (the recording cut some of its values)' : undefined],
            ]}
          />
          <div className="atoma-actions">
            <button type="button" className="atoma-button" onClick={() => onJump(record.txnId, 'before')}>
              Jump to before #{record.txnId}
            </button>
            <button type="button" className="atoma-button" onClick={() => onJump(record.txnId, 'after')}>
              Jump to after #{record.txnId}
            </button>
            <button
              type="button"
              className="atoma-button"
              aria-pressed={skipped}
              onClick={() => onSkip(record.txnId)}
            >
              {skipped ? `Include #${record.txnId}` : `Skip #${record.txnId}`}
            </button>
          </div>
        </Section>
      )}
      <Section title={`State ${point.title}`}>
        {state === undefined ? (
          <p className="atoma-muted">No snapshot (light instrumentation).</p>
        ) : (
          <div className="atoma-tree-box">
            <TreeView
              key={`${pick.label}\u0000${pick.store}\u0000${point.title}`}
              label={`State ${point.title}`}
              rootLabel={pick.store}
              root={liveValue(state)}
              fallbackHeight={180}
            />
          </div>
        )}
      </Section>
      <Section title="Diff against live">
        <ChangesView
          key={point.title}
          store={pick.store}
          changes={changes}
          empty="Same as live: nothing differs."
        />
      </Section>
    </>
  )
}
