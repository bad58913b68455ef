'use client'

// @atoma/devtools in production builds: the same exports as ./index.ts, doing nothing. Only
// types come from the real modules, and type imports are erased, so a bundle that resolves the
// package here contains no panel code. See README.md for the export conditions.
import type { Runtime } from '@atoma/runtime'
import type { DevtoolsPanelProps } from './DevtoolsPanel.js'
import type { ReduxDevtoolsOptions } from './redux/connectReduxDevtools.js'

export type { DevtoolsPanelProps } from './DevtoolsPanel.js'
export type { DevtoolsPosition } from './panel/position.js'
export type { DevtoolsTab } from './panel/tabs.js'
export type { DevtoolsRecording } from './recording/types.js'
export type { ReduxDevtoolsOptions } from './redux/connectReduxDevtools.js'
export type {
  ReduxDevtoolsAction,
  ReduxDevtoolsConnection,
  ReduxDevtoolsExtension,
  ReduxDevtoolsMessage,
} from './redux/extension.js'

/** Renders nothing: this build has no devtools. Import `@atoma/devtools/panel` to ship them. */
export function DevtoolsPanel(_props: DevtoolsPanelProps): null {
  return null
}

/** Connects nothing: this build has no devtools. */
export function connectReduxDevtools(_runtime: Runtime, _options?: ReduxDevtoolsOptions): () => void {
  return () => {}
}
