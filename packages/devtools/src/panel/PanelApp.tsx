import { clearDevtoolsEvents } from '@atoma/runtime'
import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { hasLogic } from '../logic/logicSource.js'
import type { EventFilter } from '../model/filterEvents.js'
import { exportRecording } from '../recording/exportRecording.js'
import { recordingData } from '../recording/recordingData.js'
import type { DevtoolsRecording } from '../recording/types.js'
import { liveData } from '../source/liveData.js'
import type { PanelData } from '../source/panelData.js'
import { useLiveSnapshot } from '../source/useLiveSnapshot.js'
import type { TravelTarget } from '../travel/travel.js'
import type { InstanceStore } from '../views/InstanceStorePicker.js'
import type { StateSubject } from '../views/StateView.js'
import { PanelHeader } from './PanelHeader.js'
import { PanelView } from './PanelView.js'
import { PANEL_CSS } from './panelStyles.js'
import { type DevtoolsPosition, MIN_SIZE, sizeLimits } from './position.js'
import { ResizeHandle } from './ResizeHandle.js'
import { loadSettings, type PanelSettings, saveSettings } from './settings.js'
import { tabId, tabPanelId } from './TabList.js'
import { type DevtoolsTab, type OptionalTab, visibleTabs } from './tabs.js'

export interface PanelAppProps {
  initialOpen: boolean | undefined
  position: DevtoolsPosition | undefined
  initialTab: DevtoolsTab | undefined
  initialSize: number | undefined
  recording: DevtoolsRecording | undefined
  nonce: string | undefined
  /** Where settings are remembered in localStorage; null remembers nothing. */
  storageKey: string | null
  /** Pad the page so that a docked panel covers none of it (default true). */
  reserveSpace: boolean
}

interface Notice {
  kind: 'error' | 'info'
  text: string
}

const viewport = () =>
  typeof window === 'undefined'
    ? { width: 1280, height: 800 }
    : { width: window.innerWidth, height: window.innerHeight }

/** Below this window width the bottom dock's header takes two rows too. */
const COMPACT_WIDTH = 960
/** Below this one a side dock would leave no room to either side: only the bottom is offered. */
const DOCKING_WIDTH = 720

const PADDING: Record<DevtoolsPosition, string> = {
  bottom: 'padding-bottom',
  left: 'padding-left',
  right: 'padding-right',
}

/** The window's size, following resizes (the dock's limits and its header's layout depend on it). */
function useViewport(): { width: number; height: number } {
  const [size, setSize] = useState(viewport)
  useEffect(() => {
    if (typeof window === 'undefined') return
    const update = () => setSize(viewport())
    window.addEventListener('resize', update)
    return () => window.removeEventListener('resize', update)
  }, [])
  return size
}

/** The settings to start with: what the user left last time, else the props, else the defaults. */
function initialSettings(props: PanelAppProps): PanelSettings {
  const stored = loadSettings(props.storageKey)
  const position = stored.position ?? props.position ?? 'bottom'
  return {
    open: stored.open ?? props.initialOpen ?? false,
    position,
    sizes: { ...(props.initialSize === undefined ? {} : { [position]: props.initialSize }), ...stored.sizes },
    tab: stored.tab ?? props.initialTab ?? 'timeline',
    timeline: stored.timeline ?? { kinds: [], store: null, text: '' },
    ops: stored.ops ?? { status: 'all' },
    transactions: stored.transactions ?? { store: null },
  }
}

/** The whole panel: the toggle and, when open, the docked panel with its views. */
export function PanelApp(props: PanelAppProps) {
  const { recording, nonce, storageKey, reserveSpace } = props
  const idPrefix = useId()
  const [settings, setSettings] = useState(() => initialSettings(props))
  const { open, position } = settings
  const screen = useViewport()
  const limits = sizeLimits(position, screen)
  const size = Math.min(limits.max, Math.max(MIN_SIZE, settings.sizes[position] ?? limits.initial))
  const [imported, setImported] = useState(() =>
    recording ? { recording, name: `recording of ${recording.exportedAt}` } : null,
  )
  const [notice, setNotice] = useState<Notice | null>(null)
  const [selectedTxn, setSelectedTxn] = useState<string | null>(null)
  const [chainFor, setChainFor] = useState<string | null>(null)
  const [stateSubject, setStateSubject] = useState<StateSubject | null>(null)
  const [travelPick, setTravelPick] = useState<InstanceStore | null>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const dock = useRef<HTMLElement>(null)
  const focusOnOpen = useRef(false)
  const focusOnClose = useRef(false)

  const update = (change: Partial<PanelSettings>) => setSettings((previous) => ({ ...previous, ...change }))
  useEffect(() => saveSettings(storageKey, settings), [storageKey, settings])

  const snapshot = useLiveSnapshot(open && imported === null)
  const replayed = useMemo(() => (imported ? recordingData(imported.recording) : null), [imported])
  const data: PanelData | null = replayed ?? (snapshot ? liveData(snapshot) : null)
  const tabs = visibleTabs(new Set<OptionalTab>(data && hasLogic(data) ? ['logic'] : []))
  // A remembered tab with nothing to show any more (no logic on this page) falls back to the Timeline.
  const tab = tabs.some((shown) => shown.id === settings.tab) ? settings.tab : 'timeline'
  // A recording's runtimes are not in the hub: their moves re-render the panel from here.
  const [, setMoves] = useState(0)
  useEffect(() => replayed?.travel.subscribe(() => setMoves((count) => count + 1)), [replayed])

  useEffect(() => {
    if (open && focusOnOpen.current) {
      focusOnOpen.current = false
      dock.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus()
    }
    if (!open && focusOnClose.current) {
      focusOnClose.current = false
      toggle.current?.focus()
    }
  }, [open])

  // A docked panel takes its space from the page instead of covering it: the page's root is padded
  // on that edge, so everything above (or beside) the panel can still be scrolled to.
  useLayoutEffect(() => {
    if (!open || !reserveSpace || typeof document === 'undefined') return
    const style = document.documentElement.style
    const property = PADDING[position]
    const previous = style.getPropertyValue(property)
    const priority = style.getPropertyPriority(property)
    style.setProperty(property, `${size}px`)
    return () => {
      if (previous === '') style.removeProperty(property)
      else style.setProperty(property, previous, priority)
    }
  }, [open, reserveSpace, position, size])

  const setOpen = (next: boolean) => {
    focusOnOpen.current = next
    focusOnClose.current = !next
    update({ open: next })
  }

  const openTxn = (key: string) => {
    setSelectedTxn(key)
    update({ tab: 'transactions' })
  }
  const openChain = (key: string) => {
    setChainFor(key)
    openTxn(key)
  }
  const showSnapshot = (key: string, which: TravelTarget) => {
    const txn = data?.index.txnByKey.get(key)
    if (!txn) return
    setStateSubject({ label: txn.label, store: txn.store, snapshot: { key, which } })
    update({ tab: 'state' })
  }
  const timelineFilter: EventFilter = useMemo(
    () => ({ ...settings.timeline, kinds: new Set(settings.timeline.kinds) }),
    [settings.timeline],
  )

  const dockStyle = position === 'bottom' ? { height: size } : { width: size }
  return (
    <div className="atoma-root">
      <style nonce={nonce}>{PANEL_CSS}</style>
      {!open && (
        <button
          ref={toggle}
          type="button"
          className="atoma-toggle"
          data-position={position}
          aria-expanded={false}
          onClick={() => setOpen(true)}
        >
          <span className="atoma-toggle-dot" aria-hidden="true" />
          Atoma devtools
        </button>
      )}
      {open && (
        <section
          ref={dock}
          id={`${idPrefix}-dock`}
          aria-label="Atoma devtools"
          className="atoma-dock"
          data-position={position}
          // A side dock, or a window too narrow for one row of header.
          data-compact={position !== 'bottom' || screen.width < COMPACT_WIDTH ? '' : undefined}
          style={dockStyle}
          onKeyDown={(event: KeyboardEvent) => {
            if (event.key === 'Escape' && !event.defaultPrevented) {
              event.preventDefault()
              setOpen(false)
            }
          }}
        >
          <ResizeHandle
            position={position}
            size={size}
            min={MIN_SIZE}
            max={limits.max}
            onResize={(next) => update({ sizes: { ...settings.sizes, [position]: next } })}
          />
          <PanelHeader
            idPrefix={idPrefix}
            dockId={`${idPrefix}-dock`}
            tab={tab}
            tabs={tabs}
            onTab={(next) => update({ tab: next })}
            position={position}
            onPosition={(next) => update({ position: next })}
            docking={screen.width >= DOCKING_WIDTH}
            mode={
              imported
                ? { kind: 'recording', name: imported.name, paused: data?.travel.all() ?? [] }
                : { kind: 'live', paused: data?.travel.all() ?? [] }
            }
            onExport={() => imported?.recording ?? exportRecording()}
            onImport={(next, name) => {
              setImported({ recording: next, name })
              setSelectedTxn(null)
              setNotice({
                kind: 'info',
                text: `Showing ${name} (read-only; time travel runs in a runtime rebuilt from it).`,
              })
            }}
            onBackToLive={() => {
              setImported(null)
              setSelectedTxn(null)
              setNotice(null)
            }}
            onClear={clearDevtoolsEvents}
            onError={(text) => setNotice({ kind: 'error', text })}
            onClose={() => setOpen(false)}
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
                onOpenChain={openChain}
                chainFor={chainFor}
                onShowSnapshot={showSnapshot}
                stateSubject={stateSubject}
                onStateSubject={setStateSubject}
                travelPick={travelPick}
                onTravelPick={setTravelPick}
                onNotice={(text) => setNotice({ kind: 'error', text })}
                timelineFilter={timelineFilter}
                onTimelineFilter={(filter) =>
                  update({ timeline: { kinds: [...filter.kinds], store: filter.store, text: filter.text } })
                }
                opsStatus={settings.ops.status}
                onOpsStatus={(status) => update({ ops: { status } })}
                txnStore={settings.transactions.store}
                onTxnStore={(store) => update({ transactions: { store } })}
              />
            )}
          </div>
        </section>
      )}
    </div>
  )
}
