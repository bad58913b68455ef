import { createRuntime, defineCollection, type Instrumentation, memoryBackend } from '@atoma/runtime'
import type { Entity } from '../../data.js'
import type { StoreContender } from '../types.js'

/**
 * README "Use": a collection, `subscribeEntity` for one entity, and every change one
 * `runtime.transact`. Local changes go straight to a transaction; `write.*` would add the
 * backend round trip no peer pays.
 */
export function atomaCollection(instrumentation: Instrumentation): StoreContender {
  return {
    name: `atoma (${instrumentation})`,
    create(entities) {
      const items = defineCollection<Entity>('items', { key: 'id' })
      const runtime = createRuntime({ stores: [items], plugins: [memoryBackend()], instrumentation })
      runtime.transact(
        items,
        (draft) => {
          for (const e of entities) draft.set(e.id, e)
        },
        { kind: 'hydrate' },
      )
      const handle = runtime.store(items)
      return {
        watch: (id, listener) => handle.subscribeEntity(id, listener),
        bump(id) {
          runtime.transact(
            items,
            (draft) => {
              draft.get(id)!.count++
            },
            { kind: 'action', name: 'bump' },
          )
        },
      }
    },
  }
}
