import type { Runtime } from '@atoma/runtime'
import type { Mode, RunCounts } from '../watch/runner.js'

/** Where a logic is in its life (see `defineLogic`). */
export type Phase = 'setup' | 'pending' | 'run' | 'disposed'

/** One watcher of a logic: what triggers it, its mode, and its counters. */
export interface WatcherStatus extends RunCounts {
  /** `<logic>#<n>`, in registration order. */
  id: string
  /** The `name` option, or what the watcher watches: `onAction tasks/setDraft`. */
  label: string
  trigger: 'action' | 'state' | 'source'
  store?: string
  /** The action an `onAction` watcher listens to (absent for a predicate). */
  action?: string
  mode: Mode
  /** The last failure's message. */
  lastError?: string
}

/** What a logic shows of itself (`inspectLogic`, `$.use(logic)`): its phase and its watchers. */
export interface LogicStatus {
  name: string
  phase: Phase
  watchers: WatcherStatus[]
}

/** One field a trait maintains, and what it is fed from. */
export interface TraitNode {
  store: string
  field: string
  kind: 'trait-computed' | 'trait-link' | 'trait-source'
  /** Fields of the same store (computed). */
  deps?: readonly string[]
  /** The store or collection it reads (link, collection source). */
  from?: string
  /** What a source fetches from: a collection's name, or its query function's name. */
  resourceId?: string
}

/** What `inspectLogic` returns: every logic of a runtime, and its trait graph. */
export interface LogicInspection {
  /** Each logic of the runtime: its phase and its watchers with their mode and counters. */
  logic: LogicStatus[]
  /** Every field a trait maintains, with what feeds it: the trait graph. */
  traits: readonly TraitNode[]
}

/** What a running logic shows of itself. */
export interface LogicEntry {
  readonly name: string
  status(): LogicStatus
  subscribe(listener: () => void): () => void
}

/**
 * What each runtime runs, for `$.use(logic)` and `inspectLogic`. Traits and logic both write here
 * and neither imports the other, so an app of `computed` fields loads no watcher code.
 */
export const logicOf = new WeakMap<Runtime, Map<string, LogicEntry>>()
export const traitsOf = new WeakMap<Runtime, readonly TraitNode[]>()

export function inspectionOf(runtime: Runtime): LogicInspection {
  return {
    logic: [...(logicOf.get(runtime)?.values() ?? [])].map((entry) => entry.status()),
    traits: traitsOf.get(runtime) ?? [],
  }
}

/** What the devtools panel reads as the exposed `logic` source of a runtime (`RuntimeDebug.expose`). */
export interface LogicSource {
  /** What `inspectLogic(runtime)` returns, read now. */
  inspect(): LogicInspection
  /** Calls `listener` after any change of a watcher's counters or a logic's phase. */
  subscribe(listener: () => void): () => void
}

const exposed = new WeakSet<Runtime>()

/**
 * Shows the runtime's logic and traits to the devtools, once per runtime and only with devtools
 * on: without them nothing is exposed, so an app pays nothing for being inspectable. The source
 * reads the registries when asked; it keeps nothing of its own.
 */
export function exposeLogic(runtime: Runtime): void {
  const debug = runtime.debug
  if (!debug || exposed.has(runtime)) return
  exposed.add(runtime)
  const source: LogicSource = {
    inspect: () => inspectionOf(runtime),
    subscribe(listener) {
      // Every logic is set up inside createRuntime, before a panel can subscribe.
      const stops = [...(logicOf.get(runtime)?.values() ?? [])].map((entry) => entry.subscribe(listener))
      return () => {
        for (const stop of stops) stop()
      }
    },
  }
  debug.expose('logic', source)
}
