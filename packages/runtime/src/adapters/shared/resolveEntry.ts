import { AtomaError, type AtomaErrorCode, type ErrorInfo } from '../../errors.js'
import type { EntryResult, WriteEntry } from '../../execution/ports.js'
import type { Id } from '../../query/types.js'
import { applyPatches } from './applyPatches.js'

/** An item as a local backend keeps it. */
export interface StoredItem {
  value: unknown
  version: number
}

/** What the backend must do to its storage for a confirmed entry. */
export type StorageChange = { kind: 'put'; value: unknown; version: number } | { kind: 'delete' }

export interface Resolution {
  result: EntryResult
  /** Absent when the entry is rejected: nothing may change. */
  change?: StorageChange
}

/**
 * The write semantics every Atoma backend shares (the reference server implements the same),
 * as a pure decision over one entry and the item currently stored under its id, so the memory
 * and IndexedDB backends differ only in how they read and write storage:
 * - `create` on an existing id, or a `baseVersion` that is not the stored version → `CONFLICT`
 *   with `current`; `update`/`patch`/`delete` on a missing id → `NOT_FOUND`;
 * - `update`/`patch` apply their `patches` to the STORED item when they have them (so an earlier
 *   write that never reached this backend cannot leak in through `value`), else store `value`;
 * - `upsert` stores `value` either way;
 * - a confirmed change takes `nextVersion()`: the next value of the store's one sequence, never
 *   reused (deletes included), so a re-created item never repeats a version a stale writer holds.
 *
 * Everything returned is a fresh copy: the put value is the backend's to keep, the result's
 * `value` and `current` are the caller's to keep, and neither shares anything with `entry`.
 */
export function resolveEntry(
  store: string,
  entry: WriteEntry,
  stored: StoredItem | undefined,
  nextVersion: () => number,
): Resolution {
  const reject = (code: AtomaErrorCode, message: string, current?: StoredItem): Resolution => ({
    result: rejected(store, entry, code, message, current),
  })

  if (entry.op === 'delete') {
    if (stored === undefined) return reject('NOT_FOUND', 'there is no such item to delete')
    if (isStale(entry, stored)) return reject('CONFLICT', staleMessage(entry, stored), stored)
    return {
      result: { entryId: entry.entryId, status: 'confirmed', version: nextVersion() },
      change: { kind: 'delete' },
    }
  }

  let value: unknown
  try {
    value = nextValue(entry, stored)
  } catch (error) {
    if (error instanceof AtomaError)
      return reject(
        error.code,
        error.message,
        error.current === undefined
          ? undefined
          : { value: error.current, version: error.currentVersion ?? 0 },
      )
    throw error
  }
  if (typeof value !== 'object' || value === null) {
    // Queries read fields, and a backend tells its items apart by identity (queryStored).
    return reject('VALIDATION', 'an item must be an object')
  }
  const version = nextVersion()
  return {
    result: { entryId: entry.entryId, status: 'confirmed', value: structuredClone(value), version },
    change: { kind: 'put', value, version },
  }
}

/**
 * Why an entry cannot even be looked up (its id or idempotency key is unusable as a storage
 * key), as its rejection; `undefined` when it can.
 */
export function malformedEntry(store: string, entry: WriteEntry): EntryResult | undefined {
  if (!isId(entry.id))
    return rejected(store, entry, 'VALIDATION', 'an id must be a string or a finite number')
  if (typeof entry.idempotencyKey !== 'string') {
    return rejected(store, entry, 'VALIDATION', 'the idempotency key must be a string')
  }
  return undefined
}

function rejected(
  store: string,
  entry: WriteEntry,
  code: AtomaErrorCode,
  message: string,
  current?: StoredItem,
): EntryResult {
  const subject = `store '${store}', id ${formatId(entry.id)} (entry ${entry.entryId})`
  const error: ErrorInfo = { code, message: `${subject}: ${message}`, retryable: false }
  // The stored item and its version: what lets the client land the truth and write on top of it.
  if (current !== undefined) {
    error.current = structuredClone(current.value)
    error.currentVersion = current.version
  }
  return { entryId: entry.entryId, status: 'rejected', error }
}

/** The item after a non-delete entry, as the backend's own copy; throws why it cannot be. */
function nextValue(entry: WriteEntry, stored: StoredItem | undefined): unknown {
  switch (entry.op) {
    case 'create':
      if (stored !== undefined) throw rejection('CONFLICT', 'an item with this id exists', stored)
      return copyOfValue(entry)
    case 'upsert':
      if (stored !== undefined && isStale(entry, stored))
        throw rejection('CONFLICT', staleMessage(entry, stored), stored)
      return copyOfValue(entry)
    case 'update':
    case 'patch':
      if (stored === undefined) throw rejection('NOT_FOUND', `there is no such item to ${entry.op}`)
      if (isStale(entry, stored)) throw rejection('CONFLICT', staleMessage(entry, stored), stored)
      if (entry.patches === undefined) return copyOfValue(entry)
      if (!Array.isArray(entry.patches)) throw rejection('VALIDATION', 'patches must be an array')
      return applyPatches(structuredClone(stored.value), entry.patches)
    default:
      throw rejection('VALIDATION', `unknown op ${JSON.stringify(entry.op)}`)
  }
}

function rejection(code: AtomaErrorCode, message: string, current?: StoredItem): AtomaError {
  return new AtomaError(code, message, current && { current: current.value, currentVersion: current.version })
}

function copyOfValue(entry: WriteEntry): unknown {
  if (entry.value === undefined) throw rejection('VALIDATION', `this ${entry.op} has no value`)
  try {
    return structuredClone(entry.value)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw rejection('VALIDATION', `the value cannot be stored (${reason})`)
  }
}

function isStale(entry: WriteEntry, stored: StoredItem): boolean {
  return entry.baseVersion !== undefined && entry.baseVersion !== stored.version
}

function staleMessage(entry: WriteEntry, stored: StoredItem): string {
  return `the item is at version ${stored.version}, not ${entry.baseVersion}`
}

/** Ids must also be valid IndexedDB keys and survive JSON, which rules out NaN and Infinity. */
export function isId(id: unknown): id is Id {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

/** Quotes string ids so that messages tell `1` from `'1'`. */
export function formatId(id: unknown): string {
  return typeof id === 'string' ? `'${id}'` : String(id)
}
