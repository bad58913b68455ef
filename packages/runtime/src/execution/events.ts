import type { ErrorInfo } from '../errors.js'
import type { ExecutionMeta, Source, WriteEntry } from './ports.js'

/** What the kernel reports while it works (the sync orchestrator and devtools listen here). */
export interface KernelEvents {
  'query:settled': { store: string; policy: string; ok: boolean; meta: ExecutionMeta; error?: ErrorInfo }
  'write:dispatched': { store: string; policy: string; entries: readonly WriteEntry[] }
  'write:settled': { store: string; policy: string; ok: boolean; meta: ExecutionMeta; error?: ErrorInfo }
  'breaker:open': { node: string; source: Source; failures: number }
  'breaker:half-open': { node: string; source: Source }
  'breaker:closed': { node: string; source: Source }
}

/** The name of a kernel event (see `KernelEvents`). */
export type KernelEventName = keyof KernelEvents
/** A listener of one kernel event. */
export type KernelEventListener<E extends KernelEventName> = (event: KernelEvents[E]) => void
