import type { JsonValue } from '@atoma/runtime'

export type JsonObject = { [key: string]: JsonValue }

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The serializer's marker type (`Map`, `Date`, `Cycle`...) when `value` is a marker. */
export function markerOf(value: JsonValue | undefined): string | undefined {
  if (!isJsonObject(value)) return undefined
  const type = value.$type
  return typeof type === 'string' ? type : undefined
}

/**
 * The user's key for a key of a serialized plain object, or `null` for the serializer's own keys
 * (`$type`, `$truncated`). It mirrors `decodeKey` in @atoma/runtime's serializer, which the
 * runtime's public entry does not export; the escaping rule is part of the documented format.
 */
export function decodeKey(key: string): string | null {
  if (key === '$type' || key === '$truncated') return null
  return key.startsWith('$') ? key.slice(1) : key
}

/** Own keys of a serialized plain object as the user wrote them, with the count the serializer cut. */
export function userKeysOf(object: JsonObject): {
  keys: Array<[raw: string, shown: string]>
  omitted: number
} {
  const keys: Array<[string, string]> = []
  for (const raw of Object.keys(object)) {
    const shown = decodeKey(raw)
    if (shown !== null) keys.push([raw, shown])
  }
  const omitted = object.$truncated
  return { keys, omitted: typeof omitted === 'number' ? omitted : 0 }
}
