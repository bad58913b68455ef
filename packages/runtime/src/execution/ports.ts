import type { ErrorInfo } from '../errors.js'
import type { Patch } from '../patch.js'
import type { Id, Query } from '../query/types.js'

/**
 * The execution kernel's ports (DESIGN §6, contract). The runtime's semantic core talks to
 * backends only through these shapes; wire formats stay inside adapters.
 */
export type Source = 'local' | 'remote'

export interface RouteStep {
  node: string
  source: Source
  attempt: number
  outcome: 'ok' | 'error' | 'timeout' | 'circuit-open'
  ms: number
  error?: ErrorInfo
}

export interface ExecutionMeta {
  source: Source | 'mixed'
  route: RouteStep[]
  cursor?: string
}

export interface QueryExecutionInput {
  store: string
  query: Query
  signal?: AbortSignal
}

export interface QueryExecutionOutput {
  items: unknown[]
  /** Versions of returned items, by id, when the backend keeps them. */
  versions?: ReadonlyMap<Id, number>
  meta: ExecutionMeta
}

export type WriteOp = 'create' | 'update' | 'upsert' | 'delete' | 'patch'

export interface WriteEntry {
  entryId: string
  op: WriteOp
  id: Id
  /** The whole item after the change; absent for `delete`. */
  value?: unknown
  /** The change relative to the item (paths without the id); present for `update` and `patch`. */
  patches?: Patch[]
  baseVersion?: number
  idempotencyKey: string
  clientTimeMs: number
}

export interface WriteExecutionInput {
  store: string
  entries: WriteEntry[]
  signal?: AbortSignal
}

export type EntryResult =
  | { entryId: string; status: 'confirmed'; value?: unknown; version?: number }
  | { entryId: string; status: 'rejected'; error: ErrorInfo }

export type WriteStatus = 'confirmed' | 'partial' | 'rejected'

export interface WriteExecutionOutput {
  status: WriteStatus
  items: EntryResult[]
  meta: ExecutionMeta
}

/** What a backend node implements (the plugin contract). */
export interface NodeQueryResult {
  items: unknown[]
  versions?: ReadonlyMap<Id, number>
  cursor?: string
}

export interface NodeWriteResult {
  status: WriteStatus
  items: EntryResult[]
}

export interface ExecutionNode {
  id: string
  source: Source
  query?: (input: QueryExecutionInput & { signal: AbortSignal }) => Promise<NodeQueryResult>
  write?: (input: WriteExecutionInput & { signal: AbortSignal }) => Promise<NodeWriteResult>
}
