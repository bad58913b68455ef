import { hubState } from './hubState.js'

/** The kinds of debug events a runtime and its bindings emit. */
export type DebugEventKind =
  | 'state:update'
  | 'effectop'
  | 'lifecycle'
  | 'diagnostic'
  | 'react-render'
  | 'devtools'

/** What a runtime reports. `txnId`, `patchCount` and `originKind` describe state updates;
 * a `react-render` event carries the `txnId` of the commit that caused it. */
export interface DebugEventInput {
  kind: DebugEventKind
  store?: string
  name?: string
  txnId?: number
  patchCount?: number
  originKind?: string
  data?: unknown
}

/** A debug event as the DevtoolsHub keeps it (docs/architecture.md §8, contract). */
export interface RuntimeDebugEvent extends DebugEventInput {
  /** Monotonic across the whole page, so events of several runtimes interleave in order. */
  eventId: number
  /** Wall-clock time, `Date.now()`: comparable across runtimes and meaningful in an exported recording. */
  timestamp: number
  runtimeLabel: string
}

/** Where a runtime sends its debug events; only exists when devtools are on. */
export interface DebugSink {
  /** Records one event (stamped with its id, time and runtime label). */
  emit(event: DebugEventInput): void
}

/**
 * The one place event objects are made. It is an object with a method (not a bare function) so
 * tests can spy on `create` and prove that a runtime without devtools makes none.
 */
export const debugEvents = {
  create(input: DebugEventInput, runtimeLabel: string): RuntimeDebugEvent {
    const state = hubState()
    state.nextEventId += 1
    // The input goes first so stray runtime fields can never override the hub's own.
    return { ...input, eventId: state.nextEventId, timestamp: Date.now(), runtimeLabel }
  },
}
