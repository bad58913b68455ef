import type { PluginRuntime } from './plugin.js'

/**
 * A field a trait maintains (`computed`, `link`, `source`: @atoma/logic). The runtime knows no
 * trait kind: it hands each trait of a store, once per runtime, a host, and runs what the trait
 * returns — a `derive` inside every transaction of the store, a `start` once the runtime is
 * composed — so an app that declares no trait loads none of their code.
 */
export interface Trait {
  readonly kind: 'trait-computed' | 'trait-link' | 'trait-source'
  /** Called once per runtime for the store; what it returns runs with the store's transactions. */
  attach(host: TraitHost): TraitAttachment | undefined
}

/** Where a trait is attached: its store and field, and the runtime's whole trait graph. */
export interface TraitHost {
  readonly store: string
  readonly field: string
  /** Every trait of the runtime, store by store: the trait graph (its cycles fail `createRuntime`). */
  readonly traits: readonly { store: string; field: string; trait: Trait }[]
}

/** What an attached trait does: derive inside transactions, start and stop with the runtime. */
export interface TraitAttachment {
  /**
   * Runs in every transaction of the store, after its recipe and before the commit (so a derived
   * field changes in the same commit as what it derives from), on a draft of the state the recipe
   * left; `base` is the state before the transaction (`undefined` for the initial state).
   */
  derive?(draft: unknown, base: unknown): void
  /** Once the runtime is composed (a link or a source subscribes here). */
  start?(runtime: PluginRuntime): void
  /** With `runtime.dispose()`. */
  dispose?(): void
}
