import type { DehydratedState, Id, JsonValue } from '@atoma/runtime'
import { isJsonObject, markerOf } from '../model/json.js'
import { fromSerializable, NotRestorable } from './fromSerializable.js'

/**
 * A state the bridge sent to the monitor (store -> serialized state), turned back into what
 * `runtime.hydrate` takes. `isCollection` says how each store of the runtime is shaped; a store
 * the runtime does not have, a collection that is not a complete Map, an id that is neither a
 * string nor a number, or any value that cannot be restored refuses the whole import.
 */
export function dehydratedFrom(
  state: unknown,
  isCollection: (store: string) => boolean | undefined,
): DehydratedState {
  if (!isJsonObject(state as JsonValue))
    throw new NotRestorable('the imported state is not an object of stores')
  const stores: DehydratedState['stores'] = {}
  const source = state as { [store: string]: JsonValue }
  for (const store of Object.keys(source)) {
    const kind = isCollection(store)
    if (kind === undefined)
      throw new NotRestorable(`the imported state has a store '${store}' this runtime does not have`)
    const value = source[store] as JsonValue
    let entry: DehydratedState['stores'][string]
    if (kind) {
      if (markerOf(value) !== 'Map')
        throw new NotRestorable(`'${store}' is a collection, the imported value is not a Map`)
      const map = fromSerializable(value, store) as Map<unknown, unknown>
      const entries: [Id, unknown][] = []
      for (const [id, item] of map) {
        if (typeof id !== 'string' && typeof id !== 'number')
          throw new NotRestorable(`'${store}' has an entity id that is neither a string nor a number`)
        entries.push([id, item])
      }
      entry = { entries, versions: [] }
    } else {
      entry = { state: fromSerializable(value, store) }
    }
    Object.defineProperty(stores, store, {
      value: entry,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return { atoma: 1, stores }
}
