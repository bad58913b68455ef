import { original } from 'immer'
import type { Id } from '../query/types.js'
import type { CollectionDraftApi } from '../store/collectionDraft.js'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Structural equality for data (plain objects, arrays, Dates, primitives). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime()
  if (!isPlainObject(a) || !isPlainObject(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const key of keys) if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key])) return false
  return true
}

/**
 * Moves entity `id` in a draft to `next`, field by field when both are plain objects: the
 * transaction records field-level patches from this same pass, and fields that are equal in
 * value keep their identity — server JSON that says nothing new changes nothing, so nobody
 * re-renders for it.
 */
export function reconcile<T>(draft: CollectionDraftApi<T>, id: Id, next: T | undefined): void {
  if (next === undefined) {
    draft.delete(id)
    return
  }
  const current = draft.get(id) as unknown
  if (current === undefined || !isPlainObject(next)) {
    draft.set(id, next)
    return
  }
  // Compare against the undrafted value: reading a draft's nested objects would draft them.
  const base = (original(current) ?? current) as unknown
  if (!isPlainObject(base)) {
    draft.set(id, next)
    return
  }
  const target = current as Record<string, unknown>
  for (const key of Object.keys(next)) if (!deepEqual(base[key], next[key])) target[key] = next[key]
  for (const key of Object.keys(base)) if (!Object.hasOwn(next, key)) delete target[key]
}
