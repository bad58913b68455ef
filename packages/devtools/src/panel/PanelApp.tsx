import { clearDevtoolsEvents } from '@atoma/runtime'
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { type PausedAt, pauseKey, type TravelTarget } from '../model/timeTravel.js'
import { exportRecording } from '../recording/exportRecording.js'
import { recordingData } from '../recording/recordingData.js'
import type { DevtoolsRecording } from '../recording/types.js'
import { liveData } from '../source/liveData.js'
import type { PanelData } from '../source/panelData.js'
import { useLiveSnapshot } from '../source/useLiveSnapshot.js'
import type { InstanceStore } from '../views/InstanceStorePicker.js'
import type { StateSubject } from '../views/StateView.js'
import { PanelHeader } from './PanelHeader.js'
import { PanelView } from './PanelView.js'
import { PANEL_CSS } from './panelStyles.js'
import { type DevtoolsPosition, MIN_SIZE, sizeLimits } from './position.js'
import { ResizeHandle } from './ResizeHandle.js'
import { tabId, tabPanelId } from './TabList.js'
import type { DevtoolsTab } from './tabs.js'

export interface PanelAppProps {
  initialOpen: boolean
  position: DevtoolsPosition
  initialTab: DevtoolsTab
  initialSize: number | undefined
  recording: DevtoolsRecording | undefined
  nonce: string | undefined
}

interface Notice {
  kind: 'error' | 'info'
  text: string
}

const viewport = () =>
  typeof window === 'undefined'
    ? { width: 1280, height: 800 }
    : { width: window.innerWidth, height: window.innerHeight }

/** The whole panel: the floating toggle and, when open, the docked panel with its views. */
export function PanelApp({
  initialOpen,
  position,
  initialTab,
  initialSize,
  recording,
  nonce,
}: PanelAppProps) {
  const idPrefix = useId()
  const [open, setOpen] = useState(initialOpen)
  const [tab, setTab] = useState<DevtoolsTab>(initialTab)
  const limits = sizeLimits(position, viewport())
  const [size, setSize] = useState(() => initialSize ?? limits.initial)
  const [imported, setImported] = useState(() =>
    recording ? { recording, name: `recording of ${recording.exportedAt}` } : null,
  )
  const [notice, setNotice] = useState<Notice | null>(null)
  const [selectedTxn, setSelectedTxn] = useState<string | null>(null)
  const [stateSubject, setStateSubject] = useState<StateSubject | null>(null)
  const [travelPick, setTravelPick] = useState<InstanceStore | null>(null)
  const [paused, setPaused] = useState<ReadonlyMap<string, PausedAt>>(() => new Map())
  const toggle = useRef<HTMLButtonElement>(null)
  const dock = useRef<HTMLElement>(null)
  const focusOnOpen = useRef(false)

  const snapshot = useLiveSnapshot(open && imported === null)
  const data: PanelData | null = useMemo(
    () => (imported ? recordingData(imported.recording) : snapshot ? liveData(snapshot) : null),
    [imported, snapshot],
  )

  useEffect(() => {
    if (!open || !focusOnOpen.current) return
    focusOnOpen.current = false
    dock.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus()
  }, [open])

  const close = () => {
    setOpen(false)
    toggle.current?.focus()
  }

  const travel = (target: PausedAt, live: boolean) => {
    if (!data?.travel) return
    try {
      data.travel(target.label, target.txnId, target.which)
    } catch (error) {
      setNotice({
        kind: 'error',
        text: `Time travel failed: ${error instanceof Error ? error.message : String(error)}`,
      })
      return
    }
    setNotice(null)
    setPaused((previous) => {
      const next = new Map(previous)
      const key = pauseKey(target.label, target.store)
      if (live) next.delete(key)
      else next.set(key, target)
      return next
    })
  }

  const openTxn = (key: string) => {
    setSelectedTxn(key)
    setTab('transactions')
  }
  const showSnapshot = (key: string, which: TravelTarget) => {
    const txn = data?.index.txnByKey.get(key)
    if (!txn) return
    setStateSubject({ label: txn.label, store: txn.store, snapshot: { key, which } })
    setTab('state')
  }

  const dockStyle = position === 'bottom' ? { height: size } : { width: size }
  // While open, the toggle sits just off the dock's edge instead of over its content.
  const toggleStyle = !open
    ? undefined
    : position === 'bottom'
      ? { bottom: size + 12 }
      : { [position]: size + 12 }
  return (
    <div className="atoma-root">
      <style nonce={nonce}>{PANEL_CSS}</style>
      <button
        ref={toggle}
        type="button"
        className="atoma-toggle"
        data-position={position}
        style={toggleStyle}
        aria-expanded={open}
        aria-controls={open ? `${idPrefix}-dock` : undefined}
        onClick={() => {
          focusOnOpen.current = !open
          setOpen(!open)
        }}
      >
        <span className="atoma-toggle-dot" aria-hidden="true" />
        Atoma devtools
      </button>
      {open && (
        <section
          ref={dock}
          id={`${idPrefix}-dock`}
          aria-label="Atoma devtools"
          className="atoma-dock"
          data-position={position}
          style={dockStyle}
          onKeyDown={(event: KeyboardEvent) => {
            if (event.key === 'Escape' && !event.defaultPrevented) {
              event.preventDefault()
              close()
            }
          }}
        >
          <ResizeHandle position={position} size={size} min={MIN_SIZE} max={limits.max} onResize={setSize} />
          <PanelHeader
            idPrefix={idPrefix}
            tab={tab}
            onTab={setTab}
            mode={
              imported
                ? { kind: 'recording', name: imported.name }
                : { kind: 'live', paused: [...paused.values()] }
            }
            onExport={() => imported?.recording ?? exportRecording()}
            onImport={(next, name) => {
              setImported({ recording: next, name })
              setSelectedTxn(null)
              setNotice({ kind: 'info', text: `Showing ${name} (read-only).` })
            }}
            onBackToLive={() => {
              setImported(null)
              setSelectedTxn(null)
              setNotice(null)
            }}
            onClear={clearDevtoolsEvents}
            onError={(text) => setNotice({ kind: 'error', text })}
            onClose={close}
          />
          {notice && (
            <div
              className="atoma-notice"
              data-kind={notice.kind}
              role={notice.kind === 'error' ? 'alert' : 'status'}
            >
              <span className="atoma-grow">{notice.text}</span>
              <button type="button" className="atoma-button" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </div>
          )}
          <div
            role="tabpanel"
            id={tabPanelId(idPrefix)}
            aria-labelledby={tabId(idPrefix, tab)}
            className="atoma-panel"
          >
            {data && (
              <PanelView
                tab={tab}
                data={data}
                selectedTxn={selectedTxn}
                onSelectTxn={setSelectedTxn}
                onOpenTxn={openTxn}
                onShowSnapshot={showSnapshot}
                stateSubject={stateSubject}
                onStateSubject={setStateSubject}
                travelPick={travelPick}
                onTravelPick={setTravelPick}
                paused={paused}
                onTravel={travel}
              />
            )}
          </div>
        </section>
      )}
    </div>
  )
}
