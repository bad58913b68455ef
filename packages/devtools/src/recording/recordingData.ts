import type { RuntimeDebugEvent, TxnRecord } from '@atoma/runtime'
import { buildEventIndex } from '../model/eventIndex.js'
import { jsonValue, liveValue } from '../model/inspect.js'
import { liveTxn } from '../model/liveTxn.js'
import { type TxnView, txnKey } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { recordedTxn } from './recordedTxn.js'
import { replayRuntimes } from './replayRuntime.js'
import type { DevtoolsRecording, RecordedTxn, RecordedUpdate } from './types.js'

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** A validated recording as panel data: read-only, travelled in runtimes rebuilt from it. */
export function recordingData(recording: DevtoolsRecording): PanelData {
  const replayed = replayRuntimes(recording)
  const live = new WeakMap<TxnRecord, TxnView>()
  const views = new Map<RecordedTxn, TxnView>()
  const viewOf = (label: string, record: RecordedTxn, listeners: number | undefined) => {
    let view = views.get(record)
    if (!view) {
      view = recordedTxn(label, record, listeners)
      views.set(record, view)
    }
    return view
  }
  // parseRecording guarantees a `state:update` event's data is a RecordedUpdate.
  const txnOf = (event: RuntimeDebugEvent) => {
    if (event.kind !== 'state:update') return undefined
    const { record, listeners } = event.data as RecordedUpdate
    return viewOf(event.runtimeLabel, record, listeners)
  }
  const events: readonly RuntimeDebugEvent[] = recording.events
  const index = buildEventIndex(events, txnOf)
  return {
    mode: 'recording',
    instances: recording.instances,
    events,
    index,
    stateOf(label, store) {
      // A travelled store shows where the rebuilt runtime is; otherwise the recorded latest state.
      if (replayed.travel.overrideOf(label, store)) return liveValue(replayed.handle(label)?.getState(store))
      const states = own(recording.states, label)
      const state = states && own(states, store)
      return state === undefined ? undefined : jsonValue(state)
    },
    historyOf(label, store) {
      const stores = own(recording.histories, label)
      // The history and the events hold separate copies of a record; the event's knows its listeners.
      return ((stores && own(stores, store)) ?? []).map(
        (record) => index.txnByKey.get(txnKey(label, record.txnId)) ?? viewOf(label, record, undefined),
      )
    },
    travel: replayed.travel,
    viewOf(label, record) {
      let view = live.get(record)
      if (!view) {
        view = liveTxn(label, record, undefined)
        live.set(record, view)
      }
      return view
    },
    instance: () => undefined,
    approximate: replayed.approximate,
  }
}
