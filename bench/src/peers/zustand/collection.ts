import { subscribeWithSelector } from 'zustand/middleware'
import { createStore } from 'zustand/vanilla'
import type { Entity } from '../../data.js'
import type { StoreContender } from '../types.js'

interface State {
  items: Map<string, Entity>
}

/**
 * zustand docs: a vanilla store (`createStore`, "Using zustand without React"), slices watched
 * with the `subscribeWithSelector` middleware (`store.subscribe(selector, listener)`, equality
 * `Object.is`), and the collection in a Map replaced by a copy on every `set` ("Map and Set
 * usage": `new Map(state.map).set(key, value)`) — copying a Map is several times cheaper than
 * spreading a Record of the same size.
 */
export const zustandCollection: StoreContender = {
  name: 'zustand',
  create(entities) {
    const store = createStore<State>()(
      subscribeWithSelector(() => ({ items: new Map(entities.map((e) => [e.id, e])) })),
    )
    return {
      watch: (id, listener) => store.subscribe((s) => s.items.get(id), listener),
      bump(id) {
        store.setState((s) => {
          const entity = s.items.get(id)!
          return { items: new Map(s.items).set(id, { ...entity, count: entity.count + 1 }) }
        })
      },
    }
  },
}
