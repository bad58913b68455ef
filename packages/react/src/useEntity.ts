import type { CollectionDef, Id } from '@atoma/runtime'
import { useCallback, useDebugValue, useSyncExternalStore } from 'react'
import { useAtomaContext } from './context.js'
import { useRenderTrace } from './renderTrace.js'

/**
 * One entity of a collection, `undefined` while it does not exist. Subscribes to that id only
 * (`subscribeEntity`), so a commit re-renders the component only when this entity changed —
 * a list of a thousand rows re-renders one row per single-entity write.
 */
export function useEntity<T>(collection: CollectionDef<T>, id: Id): T | undefined {
  const { runtime } = useAtomaContext('useEntity')
  const handle = runtime.store(collection)
  const subscribe = useCallback(
    (onChange: () => void) => handle.subscribeEntity(id, () => onChange()),
    [handle, id],
  )
  const getSnapshot = useCallback(() => handle.get(id), [handle, id])
  const entity = useSyncExternalStore(subscribe, getSnapshot, getSnapshot)
  // biome-ignore lint/correctness/useHookAtTopLevel: `runtime.debug` is fixed for a mounted tree (see useRenderTrace).
  if (runtime.debug) useRenderTrace(runtime.debug, handle.name, entity, 'useEntity', undefined)
  useDebugValue(entity)
  return entity
}
