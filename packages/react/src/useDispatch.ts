import type { Payloads, StoreDef, StoreHandle } from '@atoma/runtime'
import { useAtomaContext } from './context.js'

/**
 * The store's `dispatch(action, payload)`. A stable reference: the runtime caches one handle per
 * store, so it can go in dependency lists and to memoized children.
 */
export function useDispatch<S, P extends Payloads>(store: StoreDef<S, P>): StoreHandle<S, P>['dispatch'] {
  return useAtomaContext('useDispatch').runtime.store(store).dispatch
}
