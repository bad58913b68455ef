import type { Scalar } from '@atoma/runtime/protocol'

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isScalar(value: unknown): value is Scalar {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  )
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** PostgreSQL text and jsonb can store neither a NUL character nor a lone surrogate. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text)
}

/**
 * Keys that reach a prototype once some code copies an object by assignment (immer drafts,
 * Object.assign, spreading into a class). They have no use in an item, so the server accepts
 * none in what it stores and returns none of a row that holds one.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Why a parsed JSON value cannot be stored, or undefined when it can: every string and
 * object key must be storable text, no key may be one of FORBIDDEN_KEYS, and every number
 * must be finite (JSON.parse reads `1e309` as Infinity, which JSON.stringify would turn into
 * null). The nesting depth is already bounded by the body parser.
 */
export function unstorableReason(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return isStorableText(value) ? undefined : `${path} contains a NUL character or a lone surrogate`
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : `${path} is not a finite number`
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const reason = unstorableReason(value[index], `${path}[${index}]`)
      if (reason !== undefined) return reason
    }
    return undefined
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!isStorableText(key)) return `${path} has a key with a NUL character or a lone surrogate`
      if (FORBIDDEN_KEYS.has(key)) return `${path} has the forbidden key ${JSON.stringify(key)}`
      const reason = unstorableReason(child, `${path}.${key.slice(0, 40)}`)
      if (reason !== undefined) return reason
    }
  }
  return undefined
}

/** Rejects properties outside `allowed`, so a misspelt option fails loudly instead of being ignored. */
export function unknownProperty(
  value: Record<string, unknown>,
  allowed: readonly string[],
): string | undefined {
  return Object.keys(value).find((property) => !allowed.includes(property))
}

/**
 * Parses a stored JSON document, answering `unsafe` with the first FORBIDDEN_KEYS key found at
 * any depth (rows put into the database by other means may hold one). The plain parse runs
 * when the text cannot contain such a key, which is nearly always.
 */
export function parseStored(text: string): { value: unknown; unsafe?: string } {
  if (!text.includes('"__proto__"') && !text.includes('"constructor"') && !text.includes('"prototype"')) {
    return { value: JSON.parse(text) }
  }
  let unsafe: string | undefined
  const value: unknown = JSON.parse(text, (key, child: unknown) => {
    if (!FORBIDDEN_KEYS.has(key)) return child
    unsafe ??= key
    // Dropped from the parsed copy, which write rules may then see safely.
    return undefined
  })
  return unsafe === undefined ? { value } : { value, unsafe }
}
