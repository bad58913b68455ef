import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'
import type { Drafting } from '../txn/drafting.js'
import type { History } from '../txn/history.js'
import type { Instrumentation, TxnRecord } from '../txn/types.js'
import type { EntityMap } from './entityMap.js'

/** Called after a commit that changed the store, with the new and the previous state. */
export type Listener<S> = (state: S, previous: S) => void
/** Called after a commit that changed one entity, with its new and previous value (`undefined`: absent). */
export type EntityListener<T> = (entity: T | undefined, previous: T | undefined) => void

/**
 * A commit as a plugin observes it (persist, sync): the record plus its patches, which are
 * computed for an observed store even under `light` instrumentation (the record then keeps none).
 */
export interface Commit<S = unknown> {
  record: TxnRecord<S>
  state: S
  patches: readonly Patch[]
  inversePatches: readonly Patch[]
}
/** Called after every commit of an observed store. */
export type CommitObserver<S = unknown> = (commit: Commit<S>) => void

/**
 * The live cell behind one store in one runtime: its state, its listeners and its history.
 * Only the transactor swaps `state`; everything else reads it.
 */
export class StoreCell<S = unknown> {
  state: S
  /** Set while a recipe of this store runs, to refuse re-entrant transactions. */
  inTxn = false
  /** The transaction that produced `state` (render tracing links renders to it). */
  lastTxnId: number | undefined
  private readonly listeners = new Set<Listener<S>>()
  // Entity listeners are keyed by id so a commit reaches only the ids it changed.
  private readonly entityListeners = new Map<Id, Set<EntityListener<unknown>>>()
  private entityListenerCount = 0
  /** Plugins observing every commit; while there is one, commits compute their patches. */
  readonly observers = new Set<CommitObserver<S>>()

  constructor(
    readonly name: string,
    readonly kind: 'store' | 'collection',
    initial: S,
    readonly instrumentation: Instrumentation,
    readonly history: History | null,
    public drafting: Drafting<S>,
  ) {
    this.state = initial
  }

  subscribe(listener: Listener<S>): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  subscribeEntity<T>(id: Id, listener: EntityListener<T>): () => void {
    let set = this.entityListeners.get(id)
    if (!set) {
      set = new Set()
      this.entityListeners.set(id, set)
    }
    const entry = listener as EntityListener<unknown>
    if (!set.has(entry)) this.entityListenerCount++
    set.add(entry)
    return () => {
      const current = this.entityListeners.get(id)
      if (!current?.delete(entry)) return
      this.entityListenerCount--
      if (current.size === 0) this.entityListeners.delete(id)
    }
  }

  get listenerCount(): number {
    return this.listeners.size + this.entityListenerCount
  }

  /**
   * One notification round. `changedIds` undefined means "anything may have changed" (a whole
   * state replaced): then every entity listener is checked by identity, still calling only the
   * ones whose entity differs. Returns how many listeners were called. A throwing listener does
   * not stop the others; the first error is rethrown after the round.
   */
  notify(previous: S, changedIds: Iterable<Id> | undefined): number {
    let called = 0
    let failure: { error: unknown } | undefined
    const call = (fn: () => void) => {
      called++
      try {
        fn()
      } catch (error) {
        failure ??= { error }
      }
    }
    const state = this.state
    if (this.kind === 'collection' && this.entityListenerCount > 0) {
      const next = state as EntityMap<unknown>
      const prev = previous as EntityMap<unknown>
      const ids = changedIds ?? this.entityListeners.keys()
      for (const id of ids) {
        const set = this.entityListeners.get(id)
        if (!set) continue
        const after = next.get(id)
        const before = prev.get(id)
        if (after === before) continue
        for (const listener of set) call(() => listener(after, before))
      }
    }
    for (const listener of this.listeners) call(() => listener(state, previous))
    if (failure) throw failure.error
    return called
  }
}
