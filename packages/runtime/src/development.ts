// The development build of @atoma/runtime (the `development` export condition): the public API
// with the DevtoolsHub installed, so `createRuntime({ devtools: true })` works without an import.
import './debug/install.js'

export * from './index.js'
