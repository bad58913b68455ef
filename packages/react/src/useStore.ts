import type { AnyDef, CollectionDef, CollectionState, Payloads, StoreDef } from '@atoma/runtime'
import { useCallback, useDebugValue, useMemo, useRef } from 'react'
import withSelector from 'use-sync-external-store/with-selector'
import { useAtomaContext } from './context.js'
import { isDevelopment } from './env.js'
import { useRenderTrace } from './renderTrace.js'

// The package is CommonJS: its default export is the module, named imports are not portable.
const { useSyncExternalStoreWithSelector } = withSelector

type Selector<S, U> = (state: S) => U
type IsEqual<U> = (a: U, b: U) => boolean

const identity = <S>(state: S): S => state
/** Selector sources already warned about, so a list of a thousand rows warns once, not a thousand times. */
const warnedSelectors = new Set<string>()

/** The whole state of a store. Re-renders after every commit that changes it. */
export function useStore<S, P extends Payloads>(store: StoreDef<S, P>): S
/**
 * A slice of a store's state. Re-renders only when the slice changes under `isEqual` (default
 * `Object.is`); a selector that builds a new object each call needs `isEqual` (e.g. `shallow`).
 */
export function useStore<S, P extends Payloads, U>(
  store: StoreDef<S, P>,
  selector: Selector<S, U>,
  isEqual?: IsEqual<U>,
): U
/** A collection's whole state (the `ReadonlyMap` interface). */
export function useStore<T>(collection: CollectionDef<T>): CollectionState<T>
/** A slice of a collection's state. */
export function useStore<T, U>(
  collection: CollectionDef<T>,
  selector: Selector<CollectionState<T>, U>,
  isEqual?: IsEqual<U>,
): U
export function useStore<S, U>(def: AnyDef, selector?: Selector<S, U>, isEqual?: IsEqual<U>): S | U {
  const { runtime } = useAtomaContext('useStore')
  // Stores and collections share this part of their handles (getState, subscribe, name).
  const handle = runtime.store(def as StoreDef<S>)
  const store = handle.name
  const subscribe = useCallback((onChange: () => void) => handle.subscribe(() => onChange()), [handle])
  const checked = useRef(false)
  const select = useMemo((): Selector<S, S | U> => {
    if (selector === undefined) return identity
    if (!isDevelopment()) return selector
    return (state) => {
      const slice = selector(state)
      if (!checked.current) {
        checked.current = true
        checkSelector(store, selector, isEqual ?? Object.is, state, slice)
      }
      return slice
    }
  }, [store, selector, isEqual])
  // with-selector memoizes by snapshot: the same state always gives back the same slice, so a
  // selector returning a fresh object cannot loop, and `isEqual` keeps the previous slice.
  // The state itself is the server snapshot: a hydrated runtime renders what the server did.
  const slice = useSyncExternalStoreWithSelector(
    subscribe,
    handle.getState,
    handle.getState,
    select,
    // Only ever called with two selector results, so with two `U` when a selector is given.
    isEqual as IsEqual<S | U> | undefined,
  )
  // biome-ignore lint/correctness/useHookAtTopLevel: `runtime.debug` is fixed for a mounted tree (see useRenderTrace).
  if (runtime.debug) useRenderTrace(runtime.debug, store, slice, 'useStore', undefined)
  useDebugValue(slice)
  return slice
}

/**
 * react-redux's development check: a selector called twice on the same state must give equal
 * results, or every render sees a "new" slice and re-renders whatever it is passed to.
 */
function checkSelector<S, U>(
  store: string,
  selector: Selector<S, U>,
  isEqual: IsEqual<U>,
  state: S,
  slice: U,
): void {
  if (isEqual(slice, selector(state))) return
  const key = `${store}\u0000${String(selector)}`
  if (warnedSelectors.has(key)) return
  warnedSelectors.add(key)
  console.warn(
    `useStore('${store}'): the selector returned a different value when called twice with the same ` +
      'state, so each new state re-renders the component even when the selected data is the same. ' +
      'Return a stable value (select existing fields or memoize the derived value), or pass an ' +
      'isEqual such as `shallow`: useStore(store, selector, shallow).',
    selector,
  )
}
