/**
 * The parts of the Redux DevTools browser extension's API the bridge uses, as documented for
 * `window.__REDUX_DEVTOOLS_EXTENSION__.connect(options)`.
 */
export interface ReduxDevtoolsExtension {
  /** Opens a connection to the monitor, shown under `name`. */
  connect(options?: { name?: string }): ReduxDevtoolsConnection
}

/** One connection to the Redux DevTools monitor (what `connect` returns). */
export interface ReduxDevtoolsConnection {
  /** The monitor's initial state (action index 0). */
  init(state: unknown): void
  /** One action and the state after it. */
  send(action: ReduxDevtoolsAction, state: unknown): void
  /** Messages from the monitor; returns an unsubscribe function. */
  subscribe(listener: (message: ReduxDevtoolsMessage) => void): (() => void) | undefined
  /** Drops every listener given to `subscribe`. */
  unsubscribe(): void
  /** Shows an error in the monitor (not every version has it). */
  error?(message: string): void
}

/** An action as the monitor lists it: a `type` and any fields. */
export interface ReduxDevtoolsAction {
  type: string
  [field: string]: unknown
}

/** `{ type: 'DISPATCH', payload: { type: 'JUMP_TO_ACTION', actionId } }`, `{ type: 'START' }`... */
export interface ReduxDevtoolsMessage {
  type: string
  payload?: unknown
  state?: string
}

/** The extension when it is installed in this browser. */
export function globalExtension(): ReduxDevtoolsExtension | undefined {
  const candidate = (globalThis as { __REDUX_DEVTOOLS_EXTENSION__?: unknown }).__REDUX_DEVTOOLS_EXTENSION__
  return typeof candidate === 'object' &&
    candidate !== null &&
    typeof Reflect.get(candidate, 'connect') === 'function'
    ? (candidate as ReduxDevtoolsExtension)
    : undefined
}
