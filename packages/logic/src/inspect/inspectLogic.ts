import type { Runtime } from '@atoma/runtime'
import { inspectionOf, type LogicInspection } from './registry.js'

/**
 * What a runtime's logic and traits are doing, for tools and tests. With devtools on, the panel
 * reads the same through the runtime's exposed `logic` source, and the hub gets `lifecycle` events
 * `logic:setup`, `logic:run` and `logic:traits`.
 */
export function inspectLogic(runtime: Runtime): LogicInspection {
  return inspectionOf(runtime)
}
