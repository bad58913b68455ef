import type { Payloads, StoreDef, StoreHandle } from '@atoma/runtime'
import { useAtomaContext } from './context.js'

/** The store's actions, `actions.setFilter(payload)`. A stable (frozen, cached) object. */
export function useActions<S, P extends Payloads>(store: StoreDef<S, P>): StoreHandle<S, P>['actions'] {
  return useAtomaContext('useActions').runtime.store(store).actions
}
