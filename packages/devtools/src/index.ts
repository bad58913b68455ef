'use client'

// @atoma/devtools in development (the `development` export condition): the real panel.
// Production builds resolve the package to ./noop.ts instead; see README.md. Every entry is
// 'use client': the panel is a client component under React Server Components.
export { DevtoolsPanel, type DevtoolsPanelProps } from './DevtoolsPanel.js'
export type { DevtoolsPosition } from './panel/position.js'
export type { DevtoolsTab } from './panel/tabs.js'
export type { DevtoolsRecording } from './recording/types.js'
export { connectReduxDevtools, type ReduxDevtoolsOptions } from './redux/connectReduxDevtools.js'
export type {
  ReduxDevtoolsAction,
  ReduxDevtoolsConnection,
  ReduxDevtoolsExtension,
  ReduxDevtoolsMessage,
} from './redux/extension.js'
