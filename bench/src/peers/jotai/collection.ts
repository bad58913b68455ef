import { atom, createStore } from 'jotai/vanilla'
import { selectAtom } from 'jotai/vanilla/utils'
import type { StoreContender } from '../types.js'

/**
 * jotai docs: one atom holding the collection (a Map, replaced by a copy on write as with any
 * primitive atom), a store used outside React (`createStore`, `store.sub`, "Store"), and one
 * entity read through `selectAtom` (utilities/select), which only notifies when the selected
 * value changes.
 */
export const jotaiCollection: StoreContender = {
  name: 'jotai (selectAtom)',
  create(entities) {
    const store = createStore()
    const items = atom(new Map(entities.map((e) => [e.id, e])))
    return {
      watch(id, listener) {
        store.sub(
          selectAtom(items, (all) => all.get(id)),
          listener,
        )
      },
      bump(id) {
        store.set(items, (all) => {
          const entity = all.get(id)!
          return new Map(all).set(id, { ...entity, count: entity.count + 1 })
        })
      },
    }
  },
}
