import type { DevtoolsRecording } from '../recording/types.js'
import type { Override } from '../travel/travel.js'
import type { DevtoolsPosition } from './position.js'
import { RecordingActions } from './RecordingActions.js'
import { TabList } from './TabList.js'
import type { DevtoolsTab, TABS } from './tabs.js'

export type PanelMode =
  | { kind: 'live'; paused: readonly Override[] }
  | { kind: 'recording'; name: string; paused: readonly Override[] }

export interface PanelHeaderProps {
  idPrefix: string
  /** The docked panel's id, which the header's toggle controls. */
  dockId: string
  tab: DevtoolsTab
  tabs: ReadonlyArray<(typeof TABS)[number]>
  onTab(tab: DevtoolsTab): void
  position: DevtoolsPosition
  onPosition(position: DevtoolsPosition): void
  /** Offer the dock buttons (a phone-sized window has room for the bottom dock only). */
  docking: boolean
  mode: PanelMode
  onExport(): DevtoolsRecording
  onImport(recording: DevtoolsRecording, name: string): void
  onBackToLive(): void
  onClear(): void
  onError(message: string): void
  onClose(): void
}

const DOCKS: ReadonlyArray<{ position: DevtoolsPosition; icon: string; label: string }> = [
  { position: 'left', icon: '◧', label: 'Dock to the left' },
  { position: 'bottom', icon: '⬓', label: 'Dock to the bottom' },
  { position: 'right', icon: '◨', label: 'Dock to the right' },
]

/**
 * One row that never wraps: the toggle (the panel's title), the live/paused/recording indicator,
 * the tabs (scrolling sideways when the panel is narrow) and the panel-wide actions.
 */
export function PanelHeader(props: PanelHeaderProps) {
  const { mode } = props
  return (
    <div className="atoma-header">
      <button
        type="button"
        className="atoma-toggle atoma-toggle-docked"
        aria-label="Atoma devtools"
        aria-expanded={true}
        aria-controls={props.dockId}
        onClick={props.onClose}
      >
        <span className="atoma-toggle-dot" aria-hidden="true" />
        Atoma<span className="atoma-label"> devtools</span>
      </button>
      <ModeBadge mode={mode} />
      <TabList idPrefix={props.idPrefix} tabs={props.tabs} selected={props.tab} onSelect={props.onTab} />
      <div className="atoma-header-actions">
        <fieldset className={props.docking ? 'atoma-docks' : 'atoma-hidden'}>
          <legend className="atoma-hidden">Dock the panel</legend>
          {DOCKS.map((dock) => (
            <button
              key={dock.position}
              type="button"
              className="atoma-button atoma-icon"
              aria-label={dock.label}
              title={dock.label}
              aria-pressed={props.position === dock.position}
              onClick={() => props.onPosition(dock.position)}
            >
              {dock.icon}
            </button>
          ))}
        </fieldset>
        {mode.kind === 'live' ? (
          <button
            type="button"
            className="atoma-button"
            aria-label="Clear events"
            title="Clear events"
            onClick={props.onClear}
          >
            ⌫<span className="atoma-label"> Clear events</span>
          </button>
        ) : (
          <button
            type="button"
            className="atoma-button"
            aria-label="Back to live"
            title="Back to live"
            onClick={props.onBackToLive}
          >
            ↩<span className="atoma-label"> Back to live</span>
          </button>
        )}
        <RecordingActions current={props.onExport} onImport={props.onImport} onError={props.onError} />
        <button
          type="button"
          className="atoma-button atoma-icon"
          aria-label="Close the devtools panel"
          onClick={props.onClose}
        >
          ✕
        </button>
      </div>
    </div>
  )
}

function pausedText(paused: readonly Override[]): string | undefined {
  const [first, ...others] = paused
  if (!first) return undefined
  const where = first.at
    ? `Paused at txn #${first.at.txnId} (${first.store}, ${first.at.which})`
    : `Skipping ${[...first.skipped].map((id) => `#${id}`).join(', ')} in ${first.store}`
  return `${where}${others.length > 0 ? ` +${others.length} more stores` : ''}`
}

function ModeBadge({ mode }: { mode: PanelMode }) {
  const paused = pausedText(mode.paused)
  if (mode.kind === 'recording')
    return (
      <span className="atoma-status" data-mode="recording" title={mode.name}>
        Recording (read-only){paused ? ` · ${paused}` : ''}
      </span>
    )
  return (
    <span className="atoma-status" data-mode={paused ? 'paused' : 'live'} aria-live="polite">
      {paused ?? 'Live'}
    </span>
  )
}
