import type { Draft } from 'immer'
import type { WriteOp } from '../execution/ports.js'
import type { Patch } from '../patch.js'
import type { Id } from '../query/types.js'
import { immer } from '../txn/immer.js'

/**
 * One entry of a write plan: the intent for one entity, with everything needed to replay it on
 * a different base later (a rebase) and to send it to a backend.
 */
export interface PlanEntry<T = unknown> {
  entryId: string
  op: WriteOp
  id: Id
  /** The entity after this entry, as computed on the state it was planned on (absent for delete). */
  value?: T
  /** The change relative to the entity (paths without the id), for update and patch. */
  patches?: Patch[]
  /**
   * The writer's intent for update/patch, replayed on whatever base is current: re-running it
   * (rather than re-applying recorded patches) keeps an assignment of a value the field already
   * had, which immer records as no change, and which matters once an earlier write is rejected.
   */
  recipe?: (draft: Draft<T>) => void | T
  idempotencyKey: string
  clientTimeMs: number
  /**
   * Set when the version this entry was based on is fixed: a resumed entry keeps the one it was
   * first sent with, and a queued entry the one its writer saw. Otherwise the version known when
   * the entry is sent (after the earlier writes to its id settled) is used.
   */
  pinned?: { baseVersion: number | undefined }
}

/**
 * Replays an entry on a (possibly different) base value. Field-level entries re-apply their
 * patches, so a rebase keeps other writers' fields; whole-item entries set their value.
 */
export function replay<T>(entry: PlanEntry<T>, base: T | undefined): T | undefined {
  switch (entry.op) {
    case 'delete':
      return undefined
    case 'create':
    case 'upsert':
      return entry.value
    case 'update':
    case 'patch': {
      if (base === undefined) return undefined
      try {
        return entry.recipe
          ? (immer.produce(base, entry.recipe as (draft: Draft<T>) => void) as T)
          : (immer.applyPatches(base as T & object, entry.patches ?? []) as T)
      } catch {
        // The base moved so far that the change no longer applies (e.g. a removed array
        // element): the entry's own result is the best statement of the writer's intent.
        return entry.value
      }
    }
  }
}

let sequence = 0

/** Ids unique per page and per run: the entry id and the idempotency key a backend dedupes on. */
export function newEntryIds(): { entryId: string; idempotencyKey: string } {
  sequence++
  const random = Math.random().toString(36).slice(2, 10)
  return { entryId: `e${sequence}`, idempotencyKey: `${Date.now().toString(36)}-${random}-${sequence}` }
}
