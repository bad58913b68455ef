import { byId, type Entity } from '../../data.js'
import type { StoreContender } from '../types.js'

/**
 * The floor: a mutable variable and a Set of listeners, the store a `useSyncExternalStore`
 * example is written with. An update replaces one entity object in place; every listener
 * compares its own slice, as a selector-based subscriber would.
 */
export const baselineCollection: StoreContender = {
  name: 'useSyncExternalStore',
  baseline: true,
  create(entities) {
    const items: Record<string, Entity> = byId(entities)
    const listeners = new Set<() => void>()
    return {
      watch(id, listener) {
        let selected = items[id]
        listeners.add(() => {
          if (items[id] === selected) return
          selected = items[id]
          listener()
        })
      },
      bump(id) {
        items[id] = { ...items[id]!, count: items[id]!.count + 1 }
        for (const listener of listeners) listener()
      },
    }
  },
}
