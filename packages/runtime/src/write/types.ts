import type { Draft } from 'immer'
import type { AtomaError } from '../errors.js'
import type { ConflictResolution, ExecutionMeta, WriteOp, WriteStatus } from '../execution/ports.js'
import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'

/** The outcome of one entity's change within a write. */
export interface EntryOutcome<T> {
  entryId: string
  op: WriteOp
  id: Id
  status: 'confirmed' | 'rejected'
  /** The server's item, for a confirmed create/update/patch/upsert. */
  value?: T
  version?: number
  error?: AtomaError
  /** How a conflict was resolved when the backend resolved one (sync: `client-wins`, `merged`). */
  resolution?: ConflictResolution
}

/** What a write resolves with once the backend answered (or the write failed). */
export interface WriteResult<T> {
  status: WriteStatus
  /** The optimistic commit; `undefined` when the write was refused before it (nothing changed). */
  txnId: number | undefined
  /** The commit that applied the server's confirmation, if any entry was confirmed. */
  writebackTxnId?: number
  /** The commit that rebased the remaining pending writes after a rejection, if any. */
  rollbackTxnId?: number
  items: EntryOutcome<T>[]
  /** The rejected entries, listed explicitly (non-empty for `partial` and `rejected`). */
  failed: EntryOutcome<T>[]
  /** Why the write was refused before anything was committed or sent (then `items` is empty). */
  error?: AtomaError
  /** The write's recorded payload: optimistic ++ writeback (the user's own for `write.patches`). */
  patches: Patch[]
  /** writeback-inverse ++ optimistic-inverse. */
  inversePatches: Patch[]
  meta?: ExecutionMeta
}

/**
 * What every write returns at once: the optimistic commit's `txnId`, and a promise of the
 * outcome. The promise always resolves (a rejected write is a result, so fire-and-forget never
 * leaks an unhandled rejection); `unwrap()` rejects with the write's `AtomaError` instead.
 */
export interface WriteHandle<T> extends Promise<WriteResult<T>> {
  /** The optimistic commit; `undefined` when the write was refused at once (see `WriteResult.error`). */
  readonly txnId: number | undefined
  /** As the handle itself, but rejects with the write's `AtomaError` when it was rejected. */
  unwrap(): Promise<WriteResult<T>>
}

/**
 * The optimistic writes of a collection (`handle.write`): each commits at once and returns a `WriteHandle`.
 */
export interface CollectionWriter<T> {
  /** Adds a new entity (its id read with the collection's `key`). */
  create(item: T): WriteHandle<T>
  /** Changes an existing entity with an immer recipe; sent as the patches it produced. */
  update(id: Id, recipe: (draft: Draft<T>) => void | T): WriteHandle<T>
  /** Sets the given fields of an existing entity. */
  patch(id: Id, partial: Partial<T>): WriteHandle<T>
  /** Creates the entity or replaces it whole. */
  upsert(item: T): WriteHandle<T>
  /** Removes an entity. */
  delete(id: Id): WriteHandle<T>
  /** Logical patches `[id, ...field]`, applied optimistically and sent per entity. */
  patches(patches: readonly Patch[]): WriteHandle<T>
}
