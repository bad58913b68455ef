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
