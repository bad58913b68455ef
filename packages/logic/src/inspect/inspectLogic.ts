import type { Runtime } from '@atoma/runtime'
import { type LogicStatus, logicOf, type TraitNode, traitsOf } from './registry.js'

/** What `inspectLogic` returns: every logic of a runtime, and its trait graph. */
export interface LogicInspection {
  /** Each logic of the runtime: its phase and its watchers with their mode and counters. */
  logic: LogicStatus[]
  /** Every field a trait maintains, with what feeds it: the trait graph. */
  traits: readonly TraitNode[]
}

/**
 * What a runtime's logic and traits are doing, for tools and tests. The devtools get the same
 * through the hub: `lifecycle` events `logic:setup`, `logic:run` and `logic:traits`.
 */
export function inspectLogic(runtime: Runtime): LogicInspection {
  return {
    logic: [...(logicOf.get(runtime)?.values() ?? [])].map((entry) => entry.status()),
    traits: traitsOf.get(runtime) ?? [],
  }
}
