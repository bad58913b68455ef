import { createHash } from 'node:crypto'
import type { Id, Patch, RemoteEntryResult, RemoteWriteEntry } from '@atoma/runtime/protocol'
import type { Collection } from '../collections.js'
import { entryRef, errorInfo, quote, validationFailure } from '../errors.js'
import { isPlainObject, isStorableText, unknownProperty, unstorableReason } from './json.js'
import { MAX_ID_LENGTH, parseId } from './parseId.js'

export type WriteOp = RemoteWriteEntry['op']

/** A write entry that passed validation; `value` already carries the key field. */
export interface ParsedEntry {
  entryId: string
  op: WriteOp
  id: Id
  value?: Record<string, unknown>
  patches?: Patch[]
  baseVersion?: number
  idempotencyKey: string
  /** Fingerprint of what the entry does, to catch an idempotency key reused for another write. */
  requestHash: string
}

/** Each entry of a write op: ready to apply, or already rejected (VALIDATION) without touching anything. */
export type ParsedWrite = { entry: ParsedEntry } | { rejected: RemoteEntryResult }

export const MAX_TOKEN_LENGTH = 256
export const MAX_PATCHES = 1000
export const MAX_PATH_LENGTH = 32
const MAX_VERSION = 2 ** 31 - 1

const OPS: readonly WriteOp[] = ['create', 'update', 'upsert', 'delete', 'patch']
const ENTRY_PROPERTIES = [
  'entryId',
  'op',
  'id',
  'value',
  'patches',
  'baseVersion',
  'idempotencyKey',
  'clientTimeMs',
]
/** Path segments that could reach a prototype once applied to a plain object. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

/** Why one entry is unusable; it becomes that entry's rejection. */
class InvalidEntry extends Error {}

/**
 * Validates the entries of a write op. An entry that cannot be answered on its own (not an
 * object, no usable or a repeated `entryId`) fails the whole op, as do too many entries; any
 * other problem rejects just that entry with VALIDATION, as the shared write semantics do, so
 * the rest of the batch still applies.
 */
export function parseWriteEntries(raw: unknown, collection: Collection, maxEntries: number): ParsedWrite[] {
  if (!Array.isArray(raw)) throw validationFailure('entries must be an array')
  if (raw.length > maxEntries) throw validationFailure(`a write op may carry at most ${maxEntries} entries`)
  const entryIds = new Set<string>()
  return raw.map((item: unknown, index): ParsedWrite => {
    const at = `entries[${index}]`
    if (!isPlainObject(item)) throw validationFailure(`${at} must be an object`)
    const entryId = item.entryId
    if (!isToken(entryId)) {
      throw validationFailure(
        `${at}.entryId must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`,
      )
    }
    if (entryIds.has(entryId)) throw validationFailure(`${at}: duplicate entryId ${quote(entryId)}`)
    entryIds.add(entryId)
    try {
      return { entry: parseEntry(item, entryId, collection) }
    } catch (error) {
      if (!(error instanceof InvalidEntry)) throw error
      const message = `${entryRef(collection.name, parseId(item.id), entryId)}: ${error.message}`
      return { rejected: { entryId, status: 'rejected', error: errorInfo('VALIDATION', message) } }
    }
  })
}

function parseEntry(raw: Record<string, unknown>, entryId: string, collection: Collection): ParsedEntry {
  const unknown = unknownProperty(raw, ENTRY_PROPERTIES)
  if (unknown !== undefined) throw new InvalidEntry(`unknown property ${quote(unknown)}`)
  const op = OPS.find((candidate) => candidate === raw.op)
  if (op === undefined) throw new InvalidEntry(`op must be one of ${OPS.join(', ')}`)
  const id = parseId(raw.id)
  if (id === undefined) {
    throw new InvalidEntry(
      `id must be a finite number or a non-empty string of at most ${MAX_ID_LENGTH} characters`,
    )
  }
  if (!isToken(raw.idempotencyKey)) {
    throw new InvalidEntry(
      `idempotencyKey must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`,
    )
  }
  if (typeof raw.clientTimeMs !== 'number' || !Number.isFinite(raw.clientTimeMs)) {
    throw new InvalidEntry('clientTimeMs must be a number')
  }
  const entry: Omit<ParsedEntry, 'requestHash'> = { entryId, op, id, idempotencyKey: raw.idempotencyKey }
  if (raw.baseVersion !== undefined) {
    const version = raw.baseVersion
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || version > MAX_VERSION) {
      throw new InvalidEntry('baseVersion must be a non-negative integer')
    }
    entry.baseVersion = version
  }
  // Both are validated whenever present; which one a write uses depends on its op (applyEntry).
  if (raw.value !== undefined) entry.value = parseItem(raw.value, collection, id)
  if (raw.patches !== undefined) entry.patches = parsePatches(raw.patches)
  if ((op === 'create' || op === 'upsert') && entry.value === undefined) {
    throw new InvalidEntry(`a ${op} needs a value (the whole item)`)
  }
  if ((op === 'update' || op === 'patch') && entry.value === undefined && entry.patches === undefined) {
    throw new InvalidEntry(`${op} needs patches or a value`)
  }
  return { ...entry, requestHash: fingerprint(entry) }
}

/**
 * What the write does, as the server applies it: `value` is left out when `patches` decide
 * (a retry may carry a `value` recomputed on the client), and `clientTimeMs` always is.
 */
function fingerprint({ op, id, value, patches, baseVersion }: Omit<ParsedEntry, 'requestHash'>): string {
  const effect =
    op === 'delete' ? null : (op === 'update' || op === 'patch') && patches ? { patches } : { value }
  return createHash('sha256')
    .update(JSON.stringify([op, typeof id, id, effect, baseVersion ?? null]))
    .digest('base64url')
}

function isToken(raw: unknown): raw is string {
  return typeof raw === 'string' && raw.length > 0 && raw.length <= MAX_TOKEN_LENGTH && isStorableText(raw)
}

/** The whole item: an object whose key field, when present, is the entry's id (same type too). */
function parseItem(raw: unknown, collection: Collection, id: Id): Record<string, unknown> {
  if (!isPlainObject(raw)) throw new InvalidEntry('value must be an object (the whole item)')
  const reason = unstorableReason(raw, 'value')
  if (reason !== undefined) throw new InvalidEntry(reason)
  const key = raw[collection.key]
  if (key !== undefined && key !== id) {
    throw new InvalidEntry(`value.${collection.key} is ${quote(JSON.stringify(key))}, not the entry's id`)
  }
  return { ...raw, [collection.key]: id }
}

function parsePatches(raw: unknown): Patch[] {
  if (!Array.isArray(raw)) throw new InvalidEntry('patches must be an array')
  if (raw.length > MAX_PATCHES) throw new InvalidEntry(`more than ${MAX_PATCHES} patches`)
  return raw.map((patch: unknown, index) => parsePatch(patch, `patches[${index}]`))
}

function parsePatch(raw: unknown, at: string): Patch {
  if (!isPlainObject(raw)) throw new InvalidEntry(`${at} must be an object { op, path, value? }`)
  const unknown = unknownProperty(raw, ['op', 'path', 'value'])
  if (unknown !== undefined) throw new InvalidEntry(`${at} has an unknown property ${quote(unknown)}`)
  const { op, path, value } = raw
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw new InvalidEntry(`${at}.op must be "add", "remove" or "replace"`)
  }
  if (!Array.isArray(path) || path.length > MAX_PATH_LENGTH) {
    throw new InvalidEntry(`${at}.path must be an array of at most ${MAX_PATH_LENGTH} segments`)
  }
  const segments = path.map((segment: unknown, index): string | number => {
    if (typeof segment === 'number' && Number.isSafeInteger(segment) && segment >= 0) return segment
    if (typeof segment !== 'string' || segment.length > MAX_TOKEN_LENGTH || !isStorableText(segment)) {
      throw new InvalidEntry(`${at}.path[${index}] must be a string or a non-negative integer`)
    }
    if (FORBIDDEN_SEGMENTS.has(segment)) {
      throw new InvalidEntry(`${at}.path contains the forbidden segment ${quote(segment)}`)
    }
    return segment
  })
  const patch: Patch = { op, path: segments }
  // A remove needs no value; one that carries it anyway is not an error, the value is just unused.
  if (value !== undefined && op !== 'remove') {
    const reason = unstorableReason(value, `${at}.value`)
    if (reason !== undefined) throw new InvalidEntry(reason)
    patch.value = value
  }
  return patch
}
