import { proxy, subscribe } from 'valtio/vanilla'
import { byId } from '../../data.js'
import type { StoreContender } from '../types.js'

/**
 * valtio docs: state is a mutable proxy ("proxy"), changed by plain assignment, and a part of it
 * is watched by subscribing to that nested proxy ("subscribe": "you can subscribe to a portion
 * of state"). `notifyInSync` (its third argument) calls the listener per change instead of once
 * per microtask, so each update is one notification round as with every other contender.
 */
export const valtioCollection: StoreContender = {
  name: 'valtio',
  create(entities) {
    const state = proxy({ items: byId(entities) })
    return {
      watch(id, listener) {
        subscribe(state.items[id]!, listener, true)
      },
      bump(id) {
        state.items[id]!.count++
      },
    }
  },
}
