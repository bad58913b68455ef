import type { EffectOp } from './bus/effectOp.js'
import type { Runtime } from './createRuntime.js'
import type { PluginContext } from './execution/plugin.js'
import type { WriteEntry } from './execution/ports.js'
import type { Patch } from './patch.js'
import type { CommitObserver } from './store/storeCell.js'
import type { TxnOrigin, TxnRecord } from './txn/types.js'
import type { WriteHandle } from './write/types.js'

/**
 * A backend or extension (the contract shape, docs/architecture.md §6): a name and a `setup` that registers
 * capabilities explicitly. A plugin that lives beside the runtime (sync, persist) may also add
 * members to the runtime (`extend`: `runtime.sync`), `start` once the runtime is composed, and
 * `dispose` with it. Such a plugin keeps per-runtime state in its factory's closure, so one
 * instance belongs to one runtime: call the factory once per runtime.
 */
export interface AtomaPlugin<Ext extends object = object> {
  name: string
  /** Called once by `createRuntime`: registers the plugin's nodes, policies and transports. */
  setup(ctx: PluginContext): void
  /** Members added to the runtime object; a name the runtime already has is refused. */
  extend?: Ext
  /**
   * Runs once every store and plugin is set up, before `createRuntime` returns (so a synchronous
   * start, such as hydration from localStorage, lands before the first render). A returned
   * promise joins `runtime.ready()`; a failure is reported there and as a diagnostic.
   */
  start?(runtime: PluginRuntime): void | Promise<void>
  /**
   * On `runtime.dispose()`, plugins in reverse order, with the same `PluginRuntime` `start` got: a
   * plugin given to several runtimes (a logic definition) disposes only what it started in this one.
   */
  dispose?(runtime: PluginRuntime): void
}

/** The members plugins add, from the plugins' own types: `sync()` gives `{ sync: SyncApi }`. */
export type PluginExtensions<P extends readonly AtomaPlugin[]> = UnionToIntersection<
  P[number] extends infer Q
    ? Q extends { extend?: infer E }
      ? E extends object
        ? E
        : never
      : never
    : never
>
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never

/** An action as `PluginRuntime.onAction` reports it, after its commit. */
export type ActionListener = (action: string, payload: unknown, record: TxnRecord) => void

/**
 * What a plugin's `start` receives: the runtime, plus the few capabilities only plugins need.
 * Stores are named by their name here, as they are on the wire and in storage.
 */
export interface PluginRuntime {
  readonly runtime: Runtime
  /** The runtime's collections with the policy each one follows. */
  collections(): readonly { name: string; policy: string }[]
  /** A store's current state, by name. */
  getState(store: string): unknown
  /**
   * Calls `observer` after every commit of `store`, with its patches: an observed store computes
   * them even under `light` instrumentation (that is what keeps a journal O(change)).
   */
  observe(store: string, observer: CommitObserver): () => void
  /**
   * Calls `listener` after each action of `store` commits, with the action's name and payload
   * (logic's `$.onAction`): a commit does not carry the payload, and listening this way does not
   * make the store compute patches.
   */
  onAction(store: string, listener: ActionListener): () => void
  /** Sets a store's whole state as one commit (hydration from storage). */
  replaceState(store: string, state: unknown, origin: TxnOrigin): TxnRecord
  /** One transaction of a store named by name, as `runtime.transact`. */
  transact(store: string, recipe: (draft: never) => unknown, origin: TxnOrigin): TxnRecord
  /** Runs an op through the runtime's middleware stack (or just runs it when there is none). */
  runOp<R>(op: EffectOp<R>): R
  /** One commit made of patches (for collections `[id, ...field]`), as `runtime.applyPatches`. */
  applyPatches(store: string, patches: readonly Patch[], origin: TxnOrigin): TxnRecord
  /**
   * Issues persisted write entries again, as one write through the collection's write chain: an
   * optimistic commit, then its policy. Entry ids, idempotency keys and `baseVersion` are kept, so
   * a queue (the sync outbox) recognises entries it already holds and a server replays them.
   */
  resume(store: string, entries: readonly WriteEntry[]): WriteHandle<unknown>
  /** A `diagnostic` debug event with devtools on, and a console warning outside production. */
  diagnostic(code: string, message: string, data?: unknown): void
}
