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
 * Why a parsed JSON value cannot be stored, or undefined when it can: every string and
 * object key must be storable text (the nesting depth is already bounded by the body parser).
 */
export function unstorableReason(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return isStorableText(value) ? undefined : `${path} contains a NUL character or a lone surrogate`
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
