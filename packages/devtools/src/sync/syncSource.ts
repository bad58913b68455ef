import { exposedSources } from '../source/exposedSources.js'

/**
 * The part of `@atoma/sync`'s API (`runtime.sync`, exposed to the hub as `sync`) the Sync view
 * reads, typed here rather than imported: the panel depends on no sync version, and checks the
 * shape before use.
 */
export interface SyncSourceLike {
  status(): {
    online: boolean
    pushing: boolean
    pending: number
    lastPulledAt?: number
    lastError?: { code: string; message: string }
    leader: boolean
    connected: boolean
  }
  subscribe(listener: () => void): () => void
  outbox(): ReadonlyArray<{
    seq: number
    store: string
    entry: { entryId: string; op: string; id: string | number; baseVersion?: number }
    attempts: number
    lastError?: { code: string; message: string }
    resolution?: string
  }>
  cursor(): string | undefined
}

function isSyncSource(value: unknown): value is SyncSourceLike {
  const source = value as Partial<Record<keyof SyncSourceLike, unknown>> | null
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.status === 'function' &&
    typeof source.subscribe === 'function' &&
    typeof source.outbox === 'function' &&
    typeof source.cursor === 'function'
  )
}

/** The sync orchestrators of the given runtimes (by label), where they exposed one. */
export function syncSourcesOf(labels: readonly string[]): Array<{ label: string; source: SyncSourceLike }> {
  return exposedSources(labels, 'sync', isSyncSource)
}
