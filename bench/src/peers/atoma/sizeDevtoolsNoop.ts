// The same app with `<DevtoolsPanel />` left in a production build: `@atoma/devtools` resolves
// to its no-op there (docs/architecture.md §10: it must add no bytes).
export { DevtoolsPanel } from '@atoma/devtools'
export * from './size.js'
