import {
  type DevtoolsSnapshot,
  getDevtoolsInstance,
  type RuntimeDebugEvent,
  type TxnRecord,
} from '@atoma/runtime'
import { updateDataOf } from '../model/eventData.js'
import { buildEventIndex, type EventIndex } from '../model/eventIndex.js'
import { liveValue } from '../model/inspect.js'
import { isLiveRecord } from '../model/liveRecord.js'
import { liveTxn } from '../model/liveTxn.js'
import type { TxnView } from '../model/txnView.js'
import { liveTravel } from '../travel/travel.js'
import type { PanelData } from './panelData.js'

const NONE: ReadonlySet<string> = new Set()

/** One view per record, shared by the events and the histories: built once, never serialized. */
const views = new WeakMap<TxnRecord, TxnView>()
/** The hub reuses its events array while no event arrives, so the index is rebuilt only then. */
const indexes = new WeakMap<readonly RuntimeDebugEvent[], EventIndex>()

function viewOf(label: string, record: TxnRecord, listeners: number | undefined): TxnView {
  let view = views.get(record)
  if (!view) {
    view = liveTxn(label, record, listeners)
    views.set(record, view)
  }
  return view
}

function txnOfEvent(event: RuntimeDebugEvent): TxnView | undefined {
  const update = updateDataOf(event)
  if (!update || !isLiveRecord(update.record)) return undefined
  return viewOf(event.runtimeLabel, update.record, update.listeners)
}

/** The live hub's snapshot as panel data; time travel goes through the registered instance. */
export function liveData(snapshot: DevtoolsSnapshot): PanelData {
  let index = indexes.get(snapshot.events)
  if (!index) {
    index = buildEventIndex(snapshot.events, txnOfEvent)
    indexes.set(snapshot.events, index)
  }
  return {
    mode: 'live',
    instances: snapshot.instances,
    events: snapshot.events,
    index,
    stateOf(label, store) {
      const states = snapshot.latestStates[label]
      return states && Object.hasOwn(states, store) ? liveValue(states[store]) : undefined
    },
    historyOf(label, store) {
      const handle = getDevtoolsInstance(label)
      if (!handle?.stores().includes(store)) return []
      return handle.history(store).map((record) => viewOf(label, record, undefined))
    },
    travel: liveTravel,
    viewOf: (label, record) => viewOf(label, record, undefined),
    instance: getDevtoolsInstance,
    approximate: NONE,
  }
}
