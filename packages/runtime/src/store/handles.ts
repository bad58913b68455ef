import { AtomaError } from '../errors.js'
import type { Id } from '../query/types.js'
import type { TxnRecord } from '../txn/types.js'
import type { Payloads, StoreDef } from './defineStore.js'
import type { EntityMap } from './entityMap.js'
import type { EntityListener, Listener, StoreCell } from './storeCell.js'

/** The arguments an action takes after its draft: its payload, optional when it can be absent. */
export type ActionArgs<P> = unknown extends P
  ? [payload?: P]
  : undefined extends P
    ? [payload?: P]
    : [payload: P]

interface Subscribable<S> {
  readonly name: string
  /** The current state. */
  getState(): S
  /** Called after every commit that changes this store, with the new and previous state. */
  subscribe(listener: Listener<S>): () => void
  /** Called only when the selected slice changes under `isEqual` (default `Object.is`). */
  select<U>(
    selector: (state: S) => U,
    listener: (slice: U, previous: U) => void,
    isEqual?: (a: U, b: U) => boolean,
  ): () => void
}

/** A plain store in a runtime (`runtime.store(store)`): its state, listeners and actions. */
export interface StoreHandle<S, P extends Payloads = Payloads> extends Subscribable<S> {
  /** Runs the action named `action` as one transaction; returns the commit's record. */
  dispatch<K extends keyof P & string>(action: K, ...payload: ActionArgs<P[K]>): TxnRecord<S>
  /** The actions as functions, each one transaction: `actions.setFilter('done')`. */
  readonly actions: { readonly [K in keyof P]: (...payload: ActionArgs<P[K]>) => TxnRecord<S> }
}

/** A collection's state: an immutable value with the `ReadonlyMap` interface, new after every change. */
export type CollectionState<T> = EntityMap<T>

/** The read side of a collection in a runtime: state, entities and listeners. */
export interface CollectionReadHandle<T> extends Subscribable<CollectionState<T>> {
  /** The entity with this id, pending writes included. */
  get(id: Id): T | undefined
  /** Called only when entity `id` changes (created, updated or deleted), never for other ids. */
  subscribeEntity(id: Id, listener: EntityListener<T>): () => void
}

export function createSubscribable<S>(cell: StoreCell<S>): Subscribable<S> {
  return {
    name: cell.name,
    getState: () => cell.state,
    subscribe: (listener) => cell.subscribe(listener),
    select(selector, listener, isEqual = Object.is) {
      let slice = selector(cell.state)
      return cell.subscribe((state) => {
        const next = selector(state)
        if (isEqual(slice, next)) return
        const previous = slice
        slice = next
        listener(next, previous)
      })
    },
  }
}

export function createStoreHandle<S, P extends Payloads>(
  cell: StoreCell<S>,
  def: StoreDef<S, P>,
  dispatch: (action: string, payload: unknown) => TxnRecord<S>,
): StoreHandle<S, P> {
  const actions: Record<string, (payload?: unknown) => TxnRecord<S>> = {}
  for (const name of Object.keys(def.actions)) actions[name] = (payload?: unknown) => dispatch(name, payload)
  return {
    ...createSubscribable(cell),
    dispatch: (action: string, ...payload: unknown[]) => {
      if (!Object.hasOwn(def.actions, action))
        throw new AtomaError(
          'UNKNOWN_ACTION',
          `store '${cell.name}' has no action '${action}' (actions: ${Object.keys(def.actions).join(', ') || 'none'})`,
          { store: cell.name },
        )
      return dispatch(action, payload[0])
    },
    actions: Object.freeze(actions) as StoreHandle<S, P>['actions'],
  }
}

export function createCollectionReadHandle<T>(cell: StoreCell<EntityMap<T>>): CollectionReadHandle<T> {
  return {
    ...createSubscribable(cell),
    get: (id) => cell.state.get(id),
    subscribeEntity: (id, listener) => cell.subscribeEntity(id, listener),
  }
}
