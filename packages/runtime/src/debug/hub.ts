import { AtomaError } from '../errors.js'
import type { TxnRecord } from '../txn/types.js'
import { type DebugEventInput, type DebugSink, debugEvents, type RuntimeDebugEvent } from './events.js'
import {
  DEFAULT_BUFFER_SIZE,
  type HubState,
  hubState,
  type InstanceEntry,
  replaceHubState,
} from './hubState.js'
import { devtoolsSnapshots } from './snapshot.js'

/**
 * The DevtoolsHub (docs/architecture.md §8): one per page, shared through a global symbol, fed by every runtime
 * created with `devtools` on and read by the panel. It keeps raw values only — it never copies,
 * inspects or serializes a payload or a state — so emitting is O(1) and cannot fail on cycles,
 * BigInt, functions or anything else; `toSerializable` is for whoever displays or exports them.
 */

/** What a runtime registers: enough for the panel to list its stores and travel through time. */
export interface DevtoolsInstanceHandle {
  label: string
  /** The names of the runtime's stores. */
  stores(): readonly string[]
  /** The current state of a store. */
  getState(store: string): unknown
  /** The store's recorded transactions, oldest first. */
  history(store: string): readonly TxnRecord[]
  /** Sets the store of `txnId` to that transaction's before or after snapshot (time travel). */
  applyTransactionSnapshot(txnId: number, which: 'before' | 'after'): void
  // The members below are optional: a handle registered by an older copy of the library lacks them.
  /** Commits `state` as the store's whole new state, one `devtools` transaction named `name`. Never runs IO. */
  replaceState?(store: string, state: unknown, name: string): void
  /** `'collection'` or `'store'`, and a plain store's action names (what the panel can dispatch). */
  describe?(store: string): {
    kind: 'store' | 'collection'
    instrumentation: 'full' | 'light'
    actions: readonly string[]
  }
  /** Dispatches an action of a plain store, exactly as the app would: one transaction (its id). */
  dispatch?(store: string, action: string, payload: unknown): number
  /** The query caches the bindings attached with `RuntimeDebug.attachQueryClient`, newest last. */
  queryClients?(): readonly unknown[]
  /** What plugins exposed with `RuntimeDebug.expose`, by name (`sync`, `persist`, `logic`). */
  exposed?(): ReadonlyMap<string, unknown>
}

/** A runtime registered with the DevtoolsHub, as the snapshot lists it. */
export interface DevtoolsInstanceInfo {
  /** The label the instance is registered under (unique on the page; see `registerDevtoolsInstance`). */
  label: string
  stores: readonly string[]
  registeredAt: number
}

/** What `getDevtoolsSnapshot` returns: the hub's runtimes, events and latest states. */
export interface DevtoolsSnapshot {
  /** Bumps on every change. */
  version: number
  instances: readonly DevtoolsInstanceInfo[]
  /** Oldest first; at most `bufferSize`, the oldest dropped first. */
  events: readonly RuntimeDebugEvent[]
  /** label -> store -> latest state: the runtime's own values, not copies. */
  latestStates: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  bufferSize: number
}

export interface DevtoolsConnection extends DebugSink {
  /** The label this runtime got, which differs from the requested one when that was taken. */
  readonly label: string
  updateState(store: string, state: unknown): void
  unregister(): void
}

export interface RegisterDevtoolsOptions {
  /**
   * Events the hub keeps. The hub keeps the largest size requested since it was created (a
   * registration without one requests the default, 500), so runtimes never shrink each other's view.
   */
  bufferSize?: number
}

/**
 * The current snapshot. The same object is returned until something changes, so it can be read
 * with `useSyncExternalStore`; it is built here, on demand, never when an event is emitted.
 */
export function getDevtoolsSnapshot(): DevtoolsSnapshot {
  const state = hubState()
  const cached = state.cache?.snapshot
  return cached !== undefined && cached.version === state.version ? cached : devtoolsSnapshots.build(state)
}

/**
 * Calls `listener` synchronously after every change. A listener that throws is reported once with
 * `console.error` and never stops emitters or other listeners.
 */
export function subscribeDevtoolsSnapshot(listener: () => void): () => void {
  const state = hubState()
  state.listeners.add(listener)
  return () => {
    state.listeners.delete(listener)
  }
}

/** Empties the event buffer; instances and latest states stay, event ids keep counting. */
export function clearDevtoolsEvents(): void {
  const state = hubState()
  state.ring.fill(undefined)
  state.head = 0
  state.count = 0
  state.eventsRevision += 1
  changed(state)
}

/** The handle registered under `label`, for the panel's state view and time travel. */
export function getDevtoolsInstance(label: string): DevtoolsInstanceHandle | undefined {
  return hubState().instances.get(label)?.handle
}

/**
 * Joins a runtime to the hub. If another live instance already uses `handle.label`, this one is
 * registered as `label#2` (`#3`, ...); `connection.label` says which. A label becomes free again
 * when its instance unregisters. The latest state of each of `handle.stores()` is read once here;
 * after that the runtime reports commits with `updateState`.
 */
export function registerDevtoolsInstance(
  handle: DevtoolsInstanceHandle,
  options: RegisterDevtoolsOptions = {},
): DevtoolsConnection {
  const { bufferSize } = options
  if (bufferSize !== undefined && !(Number.isInteger(bufferSize) && bufferSize > 0))
    throw new AtomaError(
      'INVALID_ARGUMENT',
      `devtools bufferSize must be a positive integer, got ${bufferSize}`,
    )

  const state = hubState()
  const label = uniqueLabel(state, handle.label)
  const stores = Object.freeze([...handle.stores()])
  const entry: InstanceEntry = {
    handle,
    info: Object.freeze({ label, stores, registeredAt: Date.now() }),
    states: new Map(stores.map((store) => [store, handle.getState(store)])),
  }
  state.instances.set(label, entry)
  state.requestedBufferSize = Math.max(state.requestedBufferSize, bufferSize ?? DEFAULT_BUFFER_SIZE)
  if (state.requestedBufferSize !== state.bufferSize) resizeRing(state, state.requestedBufferSize)
  state.instancesRevision += 1
  state.statesRevision += 1
  changed(state)
  return connection(label, entry)
}

/**
 * For tests only: forgets every instance, event and listener (and the buffer size), so each test
 * starts from an empty hub. Connections made before the reset become inert.
 */
export function resetDevtoolsHub(): void {
  replaceHubState()
}

function connection(label: string, entry: InstanceEntry): DevtoolsConnection {
  // The state is looked up on every call, so a connection made before a reset stays inert after it.
  const live = (state: HubState): boolean => state.instances.get(label) === entry
  return {
    label,
    emit(input: DebugEventInput): void {
      const state = hubState()
      if (live(state)) push(state, debugEvents.create(input, label))
    },
    updateState(store: string, value: unknown): void {
      const state = hubState()
      if (!live(state)) return
      if (!entry.states.has(store)) {
        entry.info = Object.freeze({ ...entry.info, stores: Object.freeze([...entry.info.stores, store]) })
        state.instancesRevision += 1
      } else if (entry.states.get(store) === value) {
        return
      }
      entry.states.set(store, value)
      state.statesRevision += 1
      changed(state)
    },
    unregister(): void {
      const state = hubState()
      if (!live(state)) return
      state.instances.delete(label)
      state.instancesRevision += 1
      state.statesRevision += 1
      changed(state)
    },
  }
}

function uniqueLabel(state: HubState, wanted: string): string {
  if (!state.instances.has(wanted)) return wanted
  let suffix = 2
  while (state.instances.has(`${wanted}#${suffix}`)) suffix += 1
  return `${wanted}#${suffix}`
}

/** O(1): one slot written, the oldest event overwritten once the ring is full. */
function push(state: HubState, event: RuntimeDebugEvent): void {
  const size = state.bufferSize
  if (state.count < size) {
    state.ring[(state.head + state.count) % size] = event
    state.count += 1
  } else {
    state.ring[state.head] = event
    state.head = (state.head + 1) % size
  }
  state.eventsRevision += 1
  changed(state)
}

/**
 * Grows the ring keeping every event. It only shrinks at the first registration after the hub was
 * created or reset, when no runtime has emitted yet; keeping the newest events covers that anyway.
 */
function resizeRing(state: HubState, size: number): void {
  const ring = new Array<RuntimeDebugEvent | undefined>(size).fill(undefined)
  const kept = Math.min(state.count, size)
  const first = state.head + state.count - kept
  for (let offset = 0; offset < kept; offset++) ring[offset] = state.ring[(first + offset) % state.bufferSize]
  state.ring = ring
  state.head = 0
  state.count = kept
  state.bufferSize = size
  state.eventsRevision += 1
}

function changed(state: HubState): void {
  state.version += 1
  for (const listener of state.listeners) {
    try {
      listener()
    } catch (error) {
      if (state.failedListeners.has(listener)) continue
      state.failedListeners.add(listener)
      console.error(
        '[atoma] a devtools snapshot listener threw; further errors from it are not reported',
        error,
      )
    }
  }
}
