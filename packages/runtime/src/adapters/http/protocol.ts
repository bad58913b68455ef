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

/** One op of a request: a query or a write of one store. */
export type RemoteOp = RemoteQueryOp | RemoteWriteOp

/** A query of one store; `opId` pairs it with its result. */
export interface RemoteQueryOp {
  opId: string
  kind: 'query'
  store: string
  query: Query
}

/** The write entries of one store, applied by the server entry by entry. */
export interface RemoteWriteOp {
  opId: string
  kind: 'write'
  store: string
  entries: RemoteWriteEntry[]
}

/** One entry of a write op: a `WriteEntry` on the wire. */
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

/** The result of one op: a query's items, a write's entry results, or the op's failure. */
export type RemoteOpResult = RemoteQueryResult | RemoteWriteResult | RemoteOpError

/** A stored item with its id and the version the server holds it at. */
export interface RemoteItem {
  id: Id
  version: number
  value: unknown
}

/** The items a query op matched, in the query's order. */
export interface RemoteQueryResult {
  opId: string
  ok: true
  kind: 'query'
  items: RemoteItem[]
}

/** The outcome of one write entry: the stored item and its version, or the error that rejected it. */
export type RemoteEntryResult =
  | { entryId: string; status: 'confirmed'; id: Id; version: number; value: unknown | null }
  | { entryId: string; status: 'rejected'; error: ErrorInfo }

/** The outcome of a write op, with one result per entry in request order. */
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

/**
 * Sync (`@atoma/sync`, the reference server): `POST {baseUrl}/pull` returns the changes since a
 * cursor; `GET {baseUrl}/poke` is a Server-Sent Events stream that says when to pull. Pushes are
 * ordinary write ops on `POST {baseUrl}/ops` (their idempotency keys make resends safe).
 *
 * Every change to a store takes the next version of that store's one sequence, deletes included
 * (tombstones), and a version is never reused: so a row's version orders it against everything
 * else in its store, and a cursor is "the last version seen, per store".
 */
export interface PullRequest {
  /** `undefined` for a first pull (everything there is, without tombstones). Opaque. */
  cursor?: string
  /** The stores to pull (default: every store the server serves). */
  stores?: string[]
  /** At most this many changes in the answer (the server also caps it). */
  limit?: number
}

/** One row as it is now: its value, or `deleted` when it is a tombstone. */
export interface PullChange {
  store: string
  id: Id
  version: number
  value?: unknown
  deleted?: true
}

/** The answer to a pull. */
export interface PullResponse {
  /** Pass it to the next pull. */
  cursor: string
  /** Per store in version order; only rows the caller may read. */
  changes: PullChange[]
  /** More changes wait: pull again at once. */
  more: boolean
  /**
   * Per store this answer moved on: the version through which this answer and the ones before it
   * hold every change the caller may read. A client knows from it that older answers about the
   * store's items (a late confirmation) are old news.
   */
  through?: Record<string, number>
}

/** The `data` of a poke event (`event: poke`): stores that changed since the stream opened or the last poke. */
export interface PokeEvent {
  stores: string[]
}

export type { AtomaErrorCode, ErrorInfo } from '../../errors.js'
export type { Patch } from '../../patch.js'
export type { FieldOps, Id, Query, Scalar, SortDirection, Where } from '../../query/types.js'
