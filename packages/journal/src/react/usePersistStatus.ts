'use client'

import { useRuntime } from '@atoma/react'
import { AtomaError, type StoreDef } from '@atoma/runtime'
import { useCallback, useSyncExternalStore } from 'react'
import type { PersistApi } from '../persist/persist.js'
import type { PersistStatus } from '../persist/storePersistence.js'

/**
 * Whether `store` holds what was persisted: `{ status: 'hydrating' }` until its journal is read
 * (on an asynchronous driver), then `hydrated` — or `error`, with the reason. Re-renders only
 * when the status changes, not on every write.
 */
// biome-ignore lint/suspicious/noExplicitAny: any store, whatever its state and actions.
export function usePersistStatus(store: StoreDef<any, any> | string): PersistStatus {
  const { persist } = useRuntime() as { persist?: PersistApi }
  if (persist === undefined)
    throw new AtomaError(
      'INVALID_ARGUMENT',
      'usePersistStatus: the runtime of this <RuntimeProvider> has no persist plugin (createRuntime({ plugins: [persist(...)] }))',
    )
  const status = useCallback(() => persist.status(store), [persist, store])
  return useSyncExternalStore(persist.subscribe, status, status)
}
