import type { AtomaError } from '@atoma/runtime'

/** `runtime.sync.status()` (contract fields first). */
export interface SyncStatus {
  /** The server answered the last push, pull or poke attempt (and the browser is not offline). */
  online: boolean
  /** A push is on the wire. */
  pushing: boolean
  /** Entries in the outbox, waiting for the server. */
  pending: number
  /** When the last pull landed (ms since the epoch). */
  lastPulledAt?: number
  /** The last failure (a retryable one clears at the next success; a rejection stays until the next one). */
  lastError?: AtomaError
  /** This tab pushes and pulls for the outbox (the others follow it). */
  leader: boolean
  /** The poke stream is open. */
  connected: boolean
}

/** Called with the new status after every change. */
export type SyncListener = (status: SyncStatus) => void

/** The status as one immutable value: a new object on every change, the same one otherwise. */
export function statusStore(initial: SyncStatus) {
  let current = initial
  const listeners = new Set<SyncListener>()
  return {
    get: () => current,
    set(patch: Partial<SyncStatus>) {
      const next = { ...current, ...patch }
      const keys = Object.keys(next) as (keyof SyncStatus)[]
      if (
        keys.every((key) => Object.is(next[key], current[key])) &&
        Object.keys(current).length === keys.length
      )
        return
      current = next
      for (const listener of [...listeners]) {
        try {
          listener(current)
        } catch (error) {
          console.error('[atoma] a sync status listener threw:', error)
        }
      }
    },
    subscribe(listener: SyncListener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
