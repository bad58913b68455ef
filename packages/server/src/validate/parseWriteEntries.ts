import { createHash } from 'node:crypto'
import type { Id, Patch, RemoteWriteEntry } from '@atoma/runtime/protocol'
import type { Collection } from '../collections.js'
import { quote, validationFailure } from '../errors.js'
import { isPlainObject, isStorableText, unknownProperty, unstorableReason } from './json.js'
import { parseId } from './parseId.js'

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

/** Validates the entries of a write op; throws an OpFailure (VALIDATION) for the first bad one. */
export function parseWriteEntries(raw: unknown, collection: Collection, maxEntries: number): ParsedEntry[] {
  if (!Array.isArray(raw)) throw validationFailure('entries must be an array')
  if (raw.length > maxEntries) throw validationFailure(`a write op may carry at most ${maxEntries} entries`)
  const entryIds = new Set<string>()
  return raw.map((item: unknown, index) => {
    const entry = parseEntry(item, `entries[${index}]`, collection)
    if (entryIds.has(entry.entryId))
      throw validationFailure(`entries[${index}]: duplicate entryId ${quote(entry.entryId)}`)
    entryIds.add(entry.entryId)
    return entry
  })
}

function parseEntry(raw: unknown, at: string, collection: Collection): ParsedEntry {
  if (!isPlainObject(raw)) throw validationFailure(`${at} must be an object`)
  const unknown = unknownProperty(raw, ENTRY_PROPERTIES)
  if (unknown !== undefined) throw validationFailure(`${at} has an unknown property ${quote(unknown)}`)
  const entryId = parseToken(raw.entryId, `${at}.entryId`)
  const idempotencyKey = parseToken(raw.idempotencyKey, `${at}.idempotencyKey`)
  const op = OPS.find((candidate) => candidate === raw.op)
  if (op === undefined) throw validationFailure(`${at}.op must be one of ${OPS.join(', ')}`)
  const id = parseId(raw.id)
  if (id === undefined) {
    throw validationFailure(
      `${at}.id must be a finite number or a non-empty string of at most 512 characters`,
    )
  }
  if (typeof raw.clientTimeMs !== 'number' || !Number.isFinite(raw.clientTimeMs)) {
    throw validationFailure(`${at}.clientTimeMs must be a number`)
  }
  const entry: ParsedEntry = { entryId, op, id, idempotencyKey, requestHash: '' }

  if (raw.baseVersion !== undefined) {
    const version = raw.baseVersion
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || version > MAX_VERSION) {
      throw validationFailure(`${at}.baseVersion must be a non-negative integer`)
    }
    entry.baseVersion = version
  }
  // Both are validated whenever present; which one a write uses depends on its op (applyEntry).
  if (raw.value !== undefined) entry.value = parseItem(raw.value, `${at}.value`, collection, id)
  if (raw.patches !== undefined) entry.patches = parsePatches(raw.patches, `${at}.patches`)
  if ((op === 'create' || op === 'upsert') && entry.value === undefined) {
    throw validationFailure(`${at}: a ${op} needs a value (the whole item)`)
  }
  if ((op === 'update' || op === 'patch') && entry.value === undefined && entry.patches === undefined) {
    throw validationFailure(`${at}: ${op} needs patches or a value`)
  }
  entry.requestHash = createHash('sha256')
    .update(
      JSON.stringify([
        op,
        typeof id,
        id,
        entry.value ?? null,
        entry.patches ?? null,
        entry.baseVersion ?? null,
      ]),
    )
    .digest('base64url')
  return entry
}

function parseToken(raw: unknown, at: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_TOKEN_LENGTH || !isStorableText(raw)) {
    throw validationFailure(`${at} must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`)
  }
  return raw
}

/** The whole item: an object whose key field, when present, is the entry's id (same type too). */
function parseItem(raw: unknown, at: string, collection: Collection, id: Id): Record<string, unknown> {
  if (!isPlainObject(raw)) throw validationFailure(`${at} must be an object (the whole item)`)
  const reason = unstorableReason(raw, at)
  if (reason !== undefined) throw validationFailure(reason)
  const key = raw[collection.key]
  if (key !== undefined && key !== id) {
    throw validationFailure(
      `${at}.${collection.key} is ${quote(JSON.stringify(key))}, not the entry's id ${quote(JSON.stringify(id))}`,
    )
  }
  return { ...raw, [collection.key]: id }
}

function parsePatches(raw: unknown, at: string): Patch[] {
  if (!Array.isArray(raw)) throw validationFailure(`${at} must be an array`)
  if (raw.length > MAX_PATCHES) throw validationFailure(`${at} has more than ${MAX_PATCHES} patches`)
  return raw.map((patch: unknown, index) => parsePatch(patch, `${at}[${index}]`))
}

function parsePatch(raw: unknown, at: string): Patch {
  if (!isPlainObject(raw)) throw validationFailure(`${at} must be an object { op, path, value? }`)
  const unknown = unknownProperty(raw, ['op', 'path', 'value'])
  if (unknown !== undefined) throw validationFailure(`${at} has an unknown property ${quote(unknown)}`)
  const { op, path, value } = raw
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw validationFailure(`${at}.op must be "add", "remove" or "replace"`)
  }
  if (!Array.isArray(path) || path.length > MAX_PATH_LENGTH) {
    throw validationFailure(`${at}.path must be an array of at most ${MAX_PATH_LENGTH} segments`)
  }
  const segments = path.map((segment: unknown, index): string | number => {
    if (typeof segment === 'number' && Number.isSafeInteger(segment) && segment >= 0) return segment
    if (typeof segment !== 'string' || segment.length > MAX_TOKEN_LENGTH || !isStorableText(segment)) {
      throw validationFailure(`${at}.path[${index}] must be a string or a non-negative integer`)
    }
    if (FORBIDDEN_SEGMENTS.has(segment))
      throw validationFailure(`${at}.path contains the forbidden segment ${quote(segment)}`)
    return segment
  })
  const patch: Patch = { op, path: segments }
  if (value !== undefined) {
    if (op === 'remove') throw validationFailure(`${at}: a remove patch carries no value`)
    const reason = unstorableReason(value, `${at}.value`)
    if (reason !== undefined) throw validationFailure(reason)
    patch.value = value
  }
  return patch
}
