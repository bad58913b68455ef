import type {
  ActionArgs,
  AtomaPlugin,
  CollectionDef,
  CollectionState,
  CollectionWriter,
  MergePolicy,
  Payloads,
  Query,
  QueryResult,
  StoreDef,
  TxnRecord,
} from '@atoma/runtime'
import type { LogicStatus } from '../inspect/registry.js'
import type { Mode } from '../watch/runner.js'

/** Something that emits values: `(emit) => unsubscribe`. `reader.changes(selector)` makes one. */
export type Source<V> = (emit: (value: V) => void) => () => void

/** A read-only view of a store, a collection or a logic (`$.use`, `ctx.store`). */
export interface Reader<S> {
  /** The current state, or a slice of it (run phase). */
  read(): S
  /** The slice `selector` picks from the current state. */
  read<U>(selector: (state: S) => U): U
  /** The slice's changes, as a source for `$.on` (subscribed in the run phase). */
  changes<U>(selector: (state: S) => U, isEqual?: (a: U, b: U) => boolean): Source<U>
}

/** A store's reader dispatches its actions: logic changes state through actions, never directly. */
export interface StoreReader<S, P extends Payloads> extends Reader<S> {
  /** Dispatches one of the store's actions (run phase); returns its transaction. */
  dispatch<K extends keyof P & string>(action: K, ...payload: ActionArgs<P[K]>): TxnRecord<S>
}

/** What every run gets: its signal, and the run-phase capabilities. */
export interface RunContext {
  /** Aborted when the run is superseded (`latest`) or the runtime is disposed. */
  readonly signal: AbortSignal
  /** Dispatches an action; refused (with the abort) once `signal` is aborted. */
  dispatch<S, P extends Payloads, K extends keyof P & string>(
    store: StoreDef<S, P>,
    action: K,
    ...payload: ActionArgs<P[K]>
  ): TxnRecord<S>
  /** A store's reader, whose dispatches are refused once `signal` is aborted. */
  store<S, P extends Payloads>(store: StoreDef<S, P>): StoreReader<S, P>
  /** A collection's reader: its state as the runtime holds it. */
  store<T>(collection: CollectionDef<T>): Reader<CollectionState<T>>
  /** A kernel read with this run's signal: a superseded run's read is aborted. */
  query<T>(
    collection: CollectionDef<T>,
    query: Query<T>,
    options?: { merge?: MergePolicy },
  ): Promise<QueryResult<T>>
  /** The collection's optimistic writes; refused (with the abort) once `signal` is aborted. */
  write<T>(collection: CollectionDef<T>): CollectionWriter<T>
}

/** The context of a run triggered by an action: which one, and its payload. */
export interface ActionContext<K, P> extends RunContext {
  readonly action: K
  readonly payload: P
}

/** The context of a run triggered by a state change: the selected slice now and before. */
export interface StateContext<V> extends RunContext {
  readonly value: V
  readonly previous: V
}

/** The context of a run triggered by a value a `Source` emitted. */
export interface ValueContext<V> extends RunContext {
  readonly value: V
}

/** One of a store's actions, as a predicate sees it. */
export type ActionEvent<P extends Payloads> = {
  [K in keyof P & string]: { action: K; payload: P[K] }
}[keyof P & string]

/** The context of a run triggered by one of `E`: narrowing `ctx.action` narrows `ctx.payload`. */
export type ActionContextOf<E> = E extends { action: infer K; payload: infer P } ? ActionContext<K, P> : never

/** Options of every watcher (`onAction`, `onState`, `on`). */
export interface WatchOptions {
  /** How runs overlap (default `parallel`). */
  mode?: Mode
  /** How devtools and diagnostics name the watcher. */
  name?: string
}

/** Options of `onState`: a watcher's options, and when the slice counts as unchanged. */
export interface StateWatchOptions<V> extends WatchOptions {
  /** When the new slice counts as unchanged (default `Object.is`): the handler does not run. */
  isEqual?: (a: V, b: V) => boolean
}

type Handler<C> = (ctx: C) => unknown

/**
 * `$`: what a logic's setup registers with. Registrations are setup-only; the readers `use`
 * returns read and dispatch in the run phase only (`LogicPhaseError` otherwise).
 */
export interface LogicApi {
  readonly name: string
  /** Runs `handler` after each commit of `action` (or of any action `predicate` accepts). */
  onAction<S, P extends Payloads, K extends keyof P & string>(
    store: StoreDef<S, P>,
    action: K,
    handler: Handler<ActionContext<K, P[K]>>,
    options?: WatchOptions,
  ): void
  /** A type guard narrows the handler's context to the actions it accepts. */
  onAction<S, P extends Payloads, E extends ActionEvent<P> = ActionEvent<P>>(
    store: StoreDef<S, P>,
    predicate: ((event: ActionEvent<P>) => event is E) | ((event: ActionEvent<P>) => boolean),
    handler: Handler<ActionContextOf<E>>,
    options?: WatchOptions,
  ): void
  /** Runs `handler` each time the selected slice changes (under `isEqual`, default `Object.is`). */
  onState<S, P extends Payloads, V>(
    store: StoreDef<S, P>,
    selector: (state: S) => V,
    handler: Handler<StateContext<V>>,
    options?: StateWatchOptions<V>,
  ): void
  /** Runs `handler` each time the selected slice of a collection's state changes. */
  onState<T, V>(
    collection: CollectionDef<T>,
    selector: (state: CollectionState<T>) => V,
    handler: Handler<StateContext<V>>,
    options?: StateWatchOptions<V>,
  ): void
  /** Runs `handler` for each value `source` emits (subscribed in the run phase). */
  on<V>(source: Source<V>, handler: Handler<ValueContext<V>>, options?: WatchOptions): void
  /** A read-only view; fails at once when the store or logic is not part of the runtime. */
  use<S, P extends Payloads>(store: StoreDef<S, P>): StoreReader<S, P>
  /** A collection's read-only view: its state as the runtime holds it. */
  use<T>(collection: CollectionDef<T>): Reader<CollectionState<T>>
  /** Another logic's status (its phase and watchers), as a read-only view. */
  use(logic: Logic): Reader<LogicStatus>
  readonly lifecycle: {
    /** When the run phase starts, after the watchers subscribed. */
    onInit(fn: Handler<RunContext>): void
    /** On dispose, after every run was aborted. */
    onDestroy(fn: () => unknown): void
  }
}

/** Where a logic's error was thrown, as `onError` gets it. */
export interface LogicErrorInfo {
  logic: string
  /** The watcher's label, or `onInit` / `onDestroy` / `setup`. */
  where: string
}

/** Options of `defineLogic`. */
export interface LogicOptions {
  /** Called with every error a handler or hook throws (they are also `logic::handler_failed` diagnostics). */
  onError?: (error: unknown, info: LogicErrorInfo) => void
}

/** A logic definition: given to `createRuntime({ logic })`, it runs once per runtime. */
export interface Logic extends AtomaPlugin {
  readonly kind: 'logic'
  readonly name: string
}
