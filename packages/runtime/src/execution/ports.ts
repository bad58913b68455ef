import type { ErrorInfo } from '../errors.js'
import type { Patch } from '../patch.js'
import type { Id, Query } from '../query/types.js'

/**
 * The execution kernel's ports (docs/architecture.md §6, contract). The runtime's semantic core talks to
 * backends only through these shapes; wire formats stay inside adapters.
 */
export type Source = 'local' | 'remote'

/** One attempt on one node (or a node its open circuit skipped), in an operation's route. */
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

/** Where an operation's answer came from, and every attempt it took. */
export interface ExecutionMeta {
  source: Source | 'mixed'
  route: RouteStep[]
  cursor?: string
}

/** A query the kernel runs for one store. */
export interface QueryExecutionInput {
  store: string
  query: Query
  signal?: AbortSignal
}

/** A query's answer: its items, their versions, and how it was reached. */
export interface QueryExecutionOutput {
  items: unknown[]
  /** Versions of returned items, by id, when the backend keeps them. */
  versions?: ReadonlyMap<Id, number>
  meta: ExecutionMeta
}

/** The kind of change one write entry makes. */
export type WriteOp = 'create' | 'update' | 'upsert' | 'delete' | 'patch'

/** One change to one entity, as the kernel and backends see it; `idempotencyKey` makes a resend safe. */
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

/** The write entries the kernel sends for one store. */
export interface WriteExecutionInput {
  store: string
  entries: WriteEntry[]
  signal?: AbortSignal
}

/** How a conflict was resolved when the node resolved one instead of rejecting the entry. */
export type ConflictResolution = 'client-wins' | 'merged'

/** The outcome of one write entry: confirmed (with the backend's item and version) or rejected. */
export type EntryResult =
  | {
      entryId: string
      status: 'confirmed'
      value?: unknown
      version?: number
      resolution?: ConflictResolution
    }
  | { entryId: string; status: 'rejected'; error: ErrorInfo }

/** A write's outcome: every entry confirmed, some rejected, or all rejected. */
export type WriteStatus = 'confirmed' | 'partial' | 'rejected'

/** A write's answer: its status, one result per entry, and how it was reached. */
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

/** What a node's `write` resolves with: the status and one result per entry, in order. */
export interface NodeWriteResult {
  status: WriteStatus
  items: EntryResult[]
  trace?: NodeTrace
}

/** A backend registered with the kernel: an id, whether it is local or remote, and what it answers. */
export interface ExecutionNode {
  id: string
  source: Source
  /** Answers a query; absent when the node does not serve reads. */
  query?: (input: QueryExecutionInput & { signal: AbortSignal }) => Promise<NodeQueryResult>
  /** Applies write entries; absent when the node does not serve writes. */
  write?: (input: WriteExecutionInput & { signal: AbortSignal }) => Promise<NodeWriteResult>
}

/** The runtime reads through this port; the kernel implements it per policy. */
export interface QueryExecutionPort {
  /** Runs the query down its policy's route. */
  execute(input: QueryExecutionInput): Promise<QueryExecutionOutput>
}

/** The runtime writes through this port; the kernel implements it per policy. */
export interface WriteExecutionPort {
  /** Runs the write down its policy's route. */
  execute(input: WriteExecutionInput): Promise<WriteExecutionOutput>
}

/** Server data for one item, landing on the confirmed base (docs/architecture.md §4). */
export interface WritebackItem {
  id: Id
  /** The server's item; absent with `deleted: true`. */
  value?: unknown
  deleted?: boolean
  version?: number
}

/** Server data to land on one collection. */
export interface WritebackInput {
  store: string
  items: readonly WritebackItem[]
  /** Why the data arrived (default `writeback`). */
  origin?: 'writeback' | 'sync' | 'query'
  /**
   * The store's version through which the base now holds every server change (a sync pull's
   * position): any later answer about an item from at or below it is old news and does not land
   * (a replayed confirmation of a create whose item was deleted since must not bring it back).
   */
  through?: number
}

/** The transaction that landed server data, and the ids it changed. */
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
  /** Lands the items on the confirmed base and re-applies pending writes on top, as one transaction. */
  applyWriteback(input: WritebackInput): Promise<WritebackResult>
}
