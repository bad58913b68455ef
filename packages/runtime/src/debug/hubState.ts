import type { RuntimeDebugEvent } from './events.js'
import type { DevtoolsInstanceHandle, DevtoolsInstanceInfo, DevtoolsSnapshot } from './hub.js'

export const DEFAULT_BUFFER_SIZE = 500

/** `Symbol.for`, not `Symbol`: two copies of the library on one page must find the same hub. */
export const HUB_KEY: unique symbol = Symbol.for('atoma.devtools.hub')

export interface InstanceEntry {
  handle: DevtoolsInstanceHandle
  info: DevtoolsInstanceInfo
  /** store -> latest state, raw references */
  states: Map<string, unknown>
}

/**
 * Everything the hub knows, in one plain record on `globalThis`. Because another copy of the
 * library may read and write the same record, all hub behaviour lives in functions that take it,
 * never in module-level variables; the shape may only grow, never change (`format` says which).
 */
export interface HubState {
  format: 1
  /** Bumps on every change; the snapshot carries it. */
  version: number
  nextEventId: number
  bufferSize: number
  /** Largest buffer size any registration asked for (the default counts); 0 before the first. */
  requestedBufferSize: number
  /** Preallocated ring of `bufferSize` slots; `head` is the oldest event, `count` how many are kept. */
  ring: (RuntimeDebugEvent | undefined)[]
  head: number
  count: number
  instances: Map<string, InstanceEntry>
  listeners: Set<() => void>
  /** Listeners already reported as throwing, so a broken listener is logged once, not per event. */
  failedListeners: WeakSet<() => void>
  /** Per-part revisions, so a snapshot rebuild reuses the parts that did not change. */
  eventsRevision: number
  instancesRevision: number
  statesRevision: number
  cache: SnapshotCache | undefined
}

export interface SnapshotCache {
  snapshot: DevtoolsSnapshot
  eventsRevision: number
  instancesRevision: number
  statesRevision: number
}

type HubHost = { [HUB_KEY]?: HubState }

/** The page's hub state, created on first use. */
export function hubState(): HubState {
  const host = globalThis as HubHost
  host[HUB_KEY] ??= createHubState()
  return host[HUB_KEY]
}

/** Replaces the page's hub state with an empty one; connections to the old one go inert. */
export function replaceHubState(): HubState {
  const state = createHubState()
  ;(globalThis as HubHost)[HUB_KEY] = state
  return state
}

function createHubState(): HubState {
  return {
    format: 1,
    version: 0,
    nextEventId: 0,
    bufferSize: DEFAULT_BUFFER_SIZE,
    requestedBufferSize: 0,
    ring: new Array<RuntimeDebugEvent | undefined>(DEFAULT_BUFFER_SIZE).fill(undefined),
    head: 0,
    count: 0,
    instances: new Map(),
    listeners: new Set(),
    failedListeners: new WeakSet(),
    eventsRevision: 0,
    instancesRevision: 0,
    statesRevision: 0,
    cache: undefined,
  }
}
