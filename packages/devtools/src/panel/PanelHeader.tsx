import type { PausedAt } from '../model/timeTravel.js'
import type { DevtoolsRecording } from '../recording/types.js'
import { RecordingActions } from './RecordingActions.js'
import { TabList } from './TabList.js'
import type { DevtoolsTab } from './tabs.js'

export type PanelMode = { kind: 'live'; paused: readonly PausedAt[] } | { kind: 'recording'; name: string }

export interface PanelHeaderProps {
  idPrefix: string
  tab: DevtoolsTab
  onTab(tab: DevtoolsTab): void
  mode: PanelMode
  onExport(): DevtoolsRecording
  onImport(recording: DevtoolsRecording, name: string): void
  onBackToLive(): void
  onClear(): void
  onError(message: string): void
  onClose(): void
}

/** Title, live/paused/recording indicator, the tabs, and the panel-wide actions. */
export function PanelHeader(props: PanelHeaderProps) {
  const { mode } = props
  return (
    <div className="atoma-header">
      <span className="atoma-title">Atoma</span>
      <ModeBadge mode={mode} />
      <TabList idPrefix={props.idPrefix} selected={props.tab} onSelect={props.onTab} />
      <span className="atoma-spacer" />
      {mode.kind === 'live' ? (
        <button type="button" className="atoma-button" onClick={props.onClear}>
          Clear events
        </button>
      ) : (
        <button type="button" className="atoma-button" onClick={props.onBackToLive}>
          Back to live
        </button>
      )}
      <RecordingActions current={props.onExport} onImport={props.onImport} onError={props.onError} />
      <button
        type="button"
        className="atoma-button"
        aria-label="Close the devtools panel"
        onClick={props.onClose}
      >
        ✕
      </button>
    </div>
  )
}

function ModeBadge({ mode }: { mode: PanelMode }) {
  if (mode.kind === 'recording')
    return (
      <span className="atoma-status" data-mode="recording">
        Recording: {mode.name} (read-only)
      </span>
    )
  const [first, ...others] = mode.paused
  return (
    <span className="atoma-status" data-mode={first ? 'paused' : 'live'} aria-live="polite">
      {first
        ? `Paused at txn #${first.txnId} (${first.store}, ${first.which})${others.length > 0 ? ` +${others.length} more stores` : ''}`
        : 'Live'}
    </span>
  )
}
