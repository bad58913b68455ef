import type { RuntimeDebugEvent } from './events.js'
import type { DevtoolsInstanceInfo, DevtoolsSnapshot } from './hub.js'
import type { HubState } from './hubState.js'

/**
 * The one place snapshots are built — only when someone asks for one, never on the emit path.
 * An object with a method so tests can spy on `build` to prove that emitting builds nothing.
 * Parts whose revision did not change since the cached snapshot are reused by reference.
 */
export const devtoolsSnapshots = {
  build(state: HubState): DevtoolsSnapshot {
    const cache = state.cache
    const snapshot: DevtoolsSnapshot = Object.freeze({
      version: state.version,
      instances:
        cache !== undefined && cache.instancesRevision === state.instancesRevision
          ? cache.snapshot.instances
          : instancesOf(state),
      events:
        cache !== undefined && cache.eventsRevision === state.eventsRevision
          ? cache.snapshot.events
          : eventsOf(state),
      latestStates:
        cache !== undefined && cache.statesRevision === state.statesRevision
          ? cache.snapshot.latestStates
          : latestStatesOf(state),
      bufferSize: state.bufferSize,
    })
    state.cache = {
      snapshot,
      eventsRevision: state.eventsRevision,
      instancesRevision: state.instancesRevision,
      statesRevision: state.statesRevision,
    }
    return snapshot
  },
}

function instancesOf(state: HubState): readonly DevtoolsInstanceInfo[] {
  return Object.freeze(Array.from(state.instances.values(), (entry) => entry.info))
}

function eventsOf(state: HubState): readonly RuntimeDebugEvent[] {
  const events = new Array<RuntimeDebugEvent>(state.count)
  for (let offset = 0; offset < state.count; offset++) {
    const event = state.ring[(state.head + offset) % state.bufferSize]
    if (event !== undefined) events[offset] = event
  }
  return Object.freeze(events)
}

function latestStatesOf(state: HubState): DevtoolsSnapshot['latestStates'] {
  // fromEntries defines own properties, so a label or store named `__proto__` stays a plain key.
  return Object.freeze(
    Object.fromEntries(
      Array.from(state.instances, ([label, entry]) => [
        label,
        Object.freeze(Object.fromEntries(entry.states)),
      ]),
    ),
  )
}
