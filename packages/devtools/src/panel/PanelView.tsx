import type { EventFilter } from '../model/filterEvents.js'
import type { PanelData } from '../source/panelData.js'
import type { TravelTarget } from '../travel/travel.js'
import type { InstanceStore } from '../views/InstanceStorePicker.js'
import { LogicView } from '../views/LogicView.js'
import { MutationsView } from '../views/MutationsView.js'
import { OpsView, type StatusFilter } from '../views/OpsView.js'
import { QueriesView } from '../views/QueriesView.js'
import { type StateSubject, StateView } from '../views/StateView.js'
import { SyncView } from '../views/SyncView.js'
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
  /** Opens a transaction scrolled to its causal chain. */
  onOpenChain(key: string): void
  chainFor: string | null
  onShowSnapshot(key: string, which: TravelTarget): void
  stateSubject: StateSubject | null
  onStateSubject(subject: StateSubject): void
  travelPick: InstanceStore | null
  onTravelPick(pick: InstanceStore): void
  onNotice(text: string): void
  timelineFilter: EventFilter
  onTimelineFilter(filter: EventFilter): void
  opsStatus: StatusFilter
  onOpsStatus(status: StatusFilter): void
  txnStore: string | null
  onTxnStore(store: string | null): void
}

/** The view of the selected tab; only that one is rendered. */
export function PanelView(props: PanelViewProps) {
  const { data } = props
  switch (props.tab) {
    case 'timeline':
      return (
        <TimelineView
          data={data}
          onOpenTxn={props.onOpenTxn}
          filter={props.timelineFilter}
          onFilter={props.onTimelineFilter}
        />
      )
    case 'transactions':
      return (
        <TransactionsView
          data={data}
          selected={props.selectedTxn}
          onSelect={props.onSelectTxn}
          onShowSnapshot={props.onShowSnapshot}
          chainFor={props.chainFor}
          store={props.txnStore}
          onStore={props.onTxnStore}
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
          onNotice={props.onNotice}
        />
      )
    case 'queries':
      return <QueriesView data={data} onOpenTxn={props.onOpenTxn} />
    case 'mutations':
      return <MutationsView data={data} onOpenTxn={props.onOpenTxn} />
    case 'sync':
      return <SyncView data={data} />
    case 'logic':
      return <LogicView data={data} onOpenChain={props.onOpenChain} />
    case 'ops':
      return (
        <OpsView
          data={data}
          onOpenTxn={props.onOpenTxn}
          status={props.opsStatus}
          onStatus={props.onOpsStatus}
        />
      )
  }
}
