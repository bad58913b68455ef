import {
  getDevtoolsInstance,
  getDevtoolsSnapshot,
  isEntityMap,
  type JsonValue,
  type Runtime,
  subscribeDevtoolsSnapshot,
  type TxnRecord,
  toSerializable,
} from '@atoma/runtime'
import { updateDataOf } from '../model/eventData.js'
import { isLiveRecord } from '../model/liveRecord.js'
import { originText } from '../model/txnView.js'
import { liveTravel } from '../travel/travel.js'
import { dehydratedFrom } from './dehydratedFrom.js'
import { globalExtension, type ReduxDevtoolsExtension, type ReduxDevtoolsMessage } from './extension.js'

/** The options of `connectReduxDevtools`. */
export interface ReduxDevtoolsOptions {
  /** The instance name in the extension (default: the runtime's label). */
  name?: string
  /** The extension (default `window.__REDUX_DEVTOOLS_EXTENSION__`); tests pass their own. */
  extension?: ReduxDevtoolsExtension
  /**
   * Caps for the states and patches sent (toSerializable limits). A state cut by them is shown
   * with `Truncated` markers and cannot be imported back. Default: depth 12, 1,000 entries.
   */
  limits?: { maxDepth?: number; maxEntries?: number; maxString?: number }
}

const DEFAULT_LIMITS = { maxDepth: 12, maxEntries: 1_000, maxString: 10_000 }

/**
 * Mirrors a runtime into the Redux DevTools extension: every transaction is sent as an action
 * `{ type: '<store>/<origin.kind>[:name]', txnId, patches }` with the state of all stores after it.
 * Jumping in the monitor (JUMP_TO_STATE / JUMP_TO_ACTION) sets each store to its snapshot at that
 * action through `applyTransactionSnapshot`; IMPORT_STATE hydrates the runtime from an imported
 * state when it can be restored exactly, and is refused with a message otherwise.
 *
 * It listens to the page's DevtoolsHub (filtered by the runtime's label) rather than to each
 * store: a `Runtime` does not list its store definitions, the hub's state:update events carry the
 * transaction records the actions need, and the hub is what time travel already goes through. So
 * the runtime must be created with `devtools` on. Without the extension this is a no-op.
 * Returns a function that disconnects.
 */
export function connectReduxDevtools(runtime: Runtime, options: ReduxDevtoolsOptions = {}): () => void {
  const extension = options.extension ?? globalExtension()
  if (!extension) return () => {}
  const label = runtime.label
  const handle = getDevtoolsInstance(label)
  if (!runtime.debug || !handle)
    throw new Error(
      `connectReduxDevtools: runtime '${label}' is not in the devtools hub; create it with createRuntime({ devtools: true })`,
    )
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const connection = extension.connect({ name: options.name ?? label })
  const report = (message: string) => {
    if (connection.error) connection.error(message)
    else console.warn(`[atoma] ${message}`)
  }

  // Action k of the monitor (k >= 1) is sent[k - 1]; 0 is the state given to `init`.
  let sent: Array<{ txnId: number; store: string }> = []
  let states: Record<string, JsonValue> = {}
  const serializeAll = () => {
    states = {}
    for (const store of handle.stores()) setState(store, handle.getState(store))
  }
  const setState = (store: string, value: unknown) => {
    // defineProperty: a store named `__proto__` stays an own key.
    Object.defineProperty(states, store, {
      value: toSerializable(value, limits),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  serializeAll()
  connection.init(states)

  let lastEventId = getDevtoolsSnapshot().events.at(-1)?.eventId ?? 0
  let scheduled = false
  const send = (record: TxnRecord) => {
    sent.push({ txnId: record.txnId, store: record.store })
    // A new object per action: the monitor keeps the previous one as the state of the previous action.
    states = { ...states }
    setState(record.store, record.after === undefined ? handle.getState(record.store) : record.after)
    connection.send(
      {
        type: `${record.store}/${originText(record.origin)}`,
        txnId: record.txnId,
        patches: toSerializable(record.patches, limits),
      },
      states,
    )
  }
  // The hub notifies inside each commit; reading its snapshot once per microtask sends every new
  // transaction, in order, without building a snapshot per commit.
  const flush = () => {
    scheduled = false
    for (const event of getDevtoolsSnapshot().events) {
      if (event.eventId <= lastEventId) continue
      lastEventId = event.eventId
      if (event.runtimeLabel !== label) continue
      const record = updateDataOf(event)?.record
      // The monitor's own jumps commit `devtools` transactions; they are not app actions.
      if (isLiveRecord(record) && record.origin.kind !== 'devtools') send(record)
    }
  }
  const unsubscribeHub = subscribeDevtoolsSnapshot(() => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(flush)
  })

  const jumpTo = (actionId: unknown) => {
    if (!Number.isInteger(actionId) || (actionId as number) < 0 || (actionId as number) > sent.length) {
      report(`cannot jump to action ${String(actionId)}: it is not one this bridge sent`)
      return
    }
    // Each store goes to its state after its last action up to this one, or, if its first action
    // is later, to the state before that one.
    const targets = new Map<string, { txnId: number; which: 'before' | 'after' }>()
    sent.forEach(({ store, txnId }, index) => {
      if (index < (actionId as number)) targets.set(store, { txnId, which: 'after' })
      else if (!targets.has(store)) targets.set(store, { txnId, which: 'before' })
    })
    // Through the panel's time travel, so a pause keeps the true line: the latest action is live
    // (the true latest state, with whatever the app committed meanwhile), any other one a jump.
    const live = actionId === sent.length
    try {
      runtime.batch(() => {
        for (const [store, { txnId, which }] of targets)
          if (live) liveTravel.resume(label, store)
          else liveTravel.jump(label, store, txnId, which)
      })
    } catch (error) {
      report(
        `cannot jump to action ${String(actionId)}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  const importState = (lifted: unknown) => {
    try {
      const { computedStates, currentStateIndex } = (lifted ?? {}) as {
        computedStates?: Array<{ state?: unknown }>
        currentStateIndex?: number
      }
      if (!Array.isArray(computedStates) || computedStates.length === 0)
        throw new Error('the imported data has no computed states')
      const at = typeof currentStateIndex === 'number' ? currentStateIndex : computedStates.length - 1
      const data = dehydratedFrom(computedStates[at]?.state, (store) =>
        handle.stores().includes(store) ? isEntityMap(handle.getState(store)) : undefined,
      )
      runtime.hydrate(data)
    } catch (error) {
      report(`import refused: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  const onMessage = (message: ReduxDevtoolsMessage) => {
    if (message.type !== 'DISPATCH' || typeof message.payload !== 'object' || message.payload === null) return
    const payload = message.payload as { type?: unknown; actionId?: unknown; nextLiftedState?: unknown }
    switch (payload.type) {
      case 'JUMP_TO_STATE':
      case 'JUMP_TO_ACTION':
        jumpTo(payload.actionId)
        return
      case 'IMPORT_STATE':
        importState(payload.nextLiftedState)
        return
      case 'COMMIT':
        // The monitor forgets its actions; the current state becomes the new initial one.
        sent = []
        serializeAll()
        connection.init(states)
        return
    }
  }
  const unsubscribeMonitor = connection.subscribe(onMessage)

  return () => {
    unsubscribeHub()
    unsubscribeMonitor?.()
    connection.unsubscribe()
  }
}
