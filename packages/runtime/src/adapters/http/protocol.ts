import type { ErrorInfo } from '../../errors.js'
import type { Patch } from '../../patch.js'
import type { Id, Query } from '../../query/types.js'

/**
 * The wire envelope between `httpBackend` and `@atoma/server` (one endpoint: `POST {baseUrl}/ops`).
 * These types live in the HTTP adapter and the server only; the runtime core never sees them.
 */
export interface OpsRequest {
  ops: RemoteOp[]
}

export type RemoteOp = RemoteQueryOp | RemoteWriteOp

export interface RemoteQueryOp {
  opId: string
  kind: 'query'
  store: string
  query: Query
}

export interface RemoteWriteOp {
  opId: string
  kind: 'write'
  store: string
  entries: RemoteWriteEntry[]
}

export interface RemoteWriteEntry {
  entryId: string
  op: 'create' | 'update' | 'upsert' | 'delete' | 'patch'
  id: Id
  value?: unknown
  patches?: Patch[]
  baseVersion?: number
  idempotencyKey: string
  clientTimeMs: number
}

/** One result per op, in request order. */
export interface OpsResponse {
  results: RemoteOpResult[]
}

export type RemoteOpResult = RemoteQueryResult | RemoteWriteResult | RemoteOpError

export interface RemoteItem {
  id: Id
  version: number
  value: unknown
}

export interface RemoteQueryResult {
  opId: string
  ok: true
  kind: 'query'
  items: RemoteItem[]
}

export type RemoteEntryResult =
  | { entryId: string; status: 'confirmed'; id: Id; version: number; value: unknown | null }
  | { entryId: string; status: 'rejected'; error: ErrorInfo }

export interface RemoteWriteResult {
  opId: string
  ok: true
  kind: 'write'
  status: 'confirmed' | 'partial' | 'rejected'
  items: RemoteEntryResult[]
}

/** The whole op failed (unknown store, malformed op): nothing of it was applied. */
export interface RemoteOpError {
  opId: string
  ok: false
  error: ErrorInfo
}

export type { AtomaErrorCode, ErrorInfo } from '../../errors.js'
export type { Patch } from '../../patch.js'
export type { FieldOps, Id, Query, Scalar, SortDirection, Where } from '../../query/types.js'
