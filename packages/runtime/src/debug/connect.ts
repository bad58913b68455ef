import type { Middleware } from '../bus/effectOp.js'
import type { DebugSink } from './events.js'
import type { DevtoolsConnection, DevtoolsInstanceHandle, RegisterDevtoolsOptions } from './hub.js'

/**
 * How `createRuntime({ devtools })` reaches the DevtoolsHub without importing it: the hub installs
 * itself here (`./install.ts`), which the development build of `@atoma/runtime` does on load and a
 * production build does only when the app imports `@atoma/runtime/devtools` (the panel's
 * production entry does). So a production app that never asks for devtools ships none of their code.
 */
export interface DevtoolsHubAccess {
  register(handle: DevtoolsInstanceHandle, options?: RegisterDevtoolsOptions): DevtoolsConnection
  observer(sink: DebugSink): Middleware
}

const SLOT = Symbol.for('atoma.devtools.access')

export function installDevtoolsHub(access: DevtoolsHubAccess): void {
  const host = globalThis as { [SLOT]?: DevtoolsHubAccess }
  host[SLOT] ??= access
}

export function devtoolsHub(): DevtoolsHubAccess | undefined {
  return (globalThis as { [SLOT]?: DevtoolsHubAccess })[SLOT]
}
