'use client'

import { useRuntime } from '@atoma/react'
import type { Runtime } from '@atoma/runtime'
import { useSyncExternalStore } from 'react'
import type { SyncStatus } from './status.js'
import type { SyncApi } from './sync.js'

/**
 * The sync status of the provider's runtime (online, pushing, pending count, last pull, last
 * error, leader, poke stream), re-rendering when it changes. The runtime must have the `sync()` plugin.
 */
export function useSyncStatus(): SyncStatus {
  const api = (useRuntime() as Runtime & { sync?: SyncApi }).sync
  if (!api)
    throw new Error(
      'useSyncStatus: the runtime has no sync plugin; add sync({ baseUrl }) to createRuntime({ plugins })',
    )
  return useSyncExternalStore(api.subscribe, api.status, api.status)
}
