import type { CollectionDef, Id } from '@atoma/runtime'
import { useCallback, useDebugValue, useSyncExternalStore } from 'react'
import { useAtomaContext } from './context.js'

/**
 * Whether entity `id` has writes the backend has not confirmed or refused yet (a "saving…" marker):
 * `handle.isPending(id)`, re-rendering only when that changes for this id.
 */
export function usePending<T>(collection: CollectionDef<T>, id: Id): boolean {
  const { runtime } = useAtomaContext('usePending')
  const handle = runtime.store(collection)
  const subscribe = useCallback(
    (onChange: () => void) => handle.subscribePending(id, () => onChange()),
    [handle, id],
  )
  const getSnapshot = useCallback(() => handle.isPending(id), [handle, id])
  const pending = useSyncExternalStore(subscribe, getSnapshot, () => false)
  useDebugValue(pending)
  return pending
}
