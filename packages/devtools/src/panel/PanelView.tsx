import type { PausedAt, TravelTarget } from '../model/timeTravel.js'
import type { PanelData } from '../source/panelData.js'
import type { InstanceStore } from '../views/InstanceStorePicker.js'
import { OpsView } from '../views/OpsView.js'
import { type StateSubject, StateView } from '../views/StateView.js'
import { TimelineView } from '../views/TimelineView.js'
import { TimeTravelView } from '../views/TimeTravelView.js'
import { TransactionsView } from '../views/TransactionsView.js'
import type { DevtoolsTab } from './tabs.js'

export interface PanelViewProps {
  tab: DevtoolsTab
  data: PanelData
  selectedTxn: string | null
  onSelectTxn(key: string | null): void
  onOpenTxn(key: string): void
  onShowSnapshot(key: string, which: TravelTarget): void
  stateSubject: StateSubject | null
  onStateSubject(subject: StateSubject): void
  travelPick: InstanceStore | null
  onTravelPick(pick: InstanceStore): void
  paused: ReadonlyMap<string, PausedAt>
  onTravel(target: PausedAt, live: boolean): void
}

/** The view of the selected tab; only that one is rendered. */
export function PanelView(props: PanelViewProps) {
  const { data } = props
  switch (props.tab) {
    case 'timeline':
      return <TimelineView data={data} onOpenTxn={props.onOpenTxn} />
    case 'transactions':
      return (
        <TransactionsView
          data={data}
          selected={props.selectedTxn}
          onSelect={props.onSelectTxn}
          onShowSnapshot={props.onShowSnapshot}
        />
      )
    case 'state':
      return <StateView data={data} subject={props.stateSubject} onSubject={props.onStateSubject} />
    case 'travel':
      return (
        <TimeTravelView
          data={data}
          pick={props.travelPick}
          onPick={props.onTravelPick}
          paused={props.paused}
          onTravel={props.onTravel}
        />
      )
    case 'ops':
      return <OpsView data={data} onOpenTxn={props.onOpenTxn} />
  }
}
