// The same app with the devtools panel shipped on purpose (`@atoma/devtools/panel`).
export { DevtoolsPanel } from '@atoma/devtools/panel'
export * from './size.js'
