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
  /** What the node said about the attempt on the wire, when devtools are on (see `NodeTrace`). */
  trace?: NodeTrace
}

/**
 * A remote node's account of one attempt, for devtools: the HTTP status and bounded previews of
 * the request and the response. Nodes fill it only when `PluginContext.debug` is set; a failing
 * attempt carries it on the error it throws (`error.trace`).
 */
export interface NodeTrace {
  status?: number
  request?: string
  response?: string
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

/** How a conflict was resolved when the node resolved one instead of rejecting the entry. */
export type ConflictResolution = 'client-wins' | 'merged'

export type EntryResult =
  | {
      entryId: string
      status: 'confirmed'
      value?: unknown
      version?: number
      resolution?: ConflictResolution
    }
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
  trace?: NodeTrace
}

export interface NodeWriteResult {
  status: WriteStatus
  items: EntryResult[]
  trace?: NodeTrace
}

export interface ExecutionNode {
  id: string
  source: Source
  query?: (input: QueryExecutionInput & { signal: AbortSignal }) => Promise<NodeQueryResult>
  write?: (input: WriteExecutionInput & { signal: AbortSignal }) => Promise<NodeWriteResult>
}

/** The runtime reads through this port; the kernel implements it per policy. */
export interface QueryExecutionPort {
  execute(input: QueryExecutionInput): Promise<QueryExecutionOutput>
}

/** The runtime writes through this port; the kernel implements it per policy. */
export interface WriteExecutionPort {
  execute(input: WriteExecutionInput): Promise<WriteExecutionOutput>
}

/** Server data for one item, landing on the confirmed base (DESIGN §4). */
export interface WritebackItem {
  id: Id
  /** The server's item; absent with `deleted: true`. */
  value?: unknown
  deleted?: boolean
  version?: number
}

export interface WritebackInput {
  store: string
  items: readonly WritebackItem[]
  /** Why the data arrived (default `writeback`). */
  origin?: 'writeback' | 'sync' | 'query'
}

export interface WritebackResult {
  txnId: number
  patches: readonly Patch[]
  inversePatches: readonly Patch[]
  changedIds: readonly Id[]
}

/**
 * How anything outside the semantic core (the sync orchestrator, later) lands server data:
 * on the confirmed base, with pending writes re-applied on top, as one transaction.
 */
export interface RuntimeApplyPort {
  applyWriteback(input: WritebackInput): Promise<WritebackResult>
}
