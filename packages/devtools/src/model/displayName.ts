import type { JsonValue } from '@atoma/runtime'
import { isJsonObject } from './json.js'

/** Fields an entity is named by in lists, in order of preference (as people name their records). */
const FIELDS = ['title', 'name', 'label', 'displayName', 'subject', 'text', 'email', 'slug']
const MAX = 48

const cut = (text: string) => (text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text)

/** The display field of a live entity (a `title`, a `name`…), or undefined when it has none. */
export function displayNameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  for (const field of FIELDS) {
    let text: unknown
    try {
      text = (value as Record<string, unknown>)[field]
    } catch {
      return undefined
    }
    if (typeof text === 'string' && text.trim() !== '') return cut(text.trim())
  }
  return undefined
}

/** The same, for an entity as a recording serialized it. */
export function jsonDisplayNameOf(value: JsonValue | undefined): string | undefined {
  if (!isJsonObject(value)) return undefined
  for (const field of FIELDS) {
    // The serializer escapes keys starting with `$` only; these fields never do.
    const text = Object.hasOwn(value, field) ? value[field] : undefined
    if (typeof text === 'string' && text.trim() !== '') return cut(text.trim())
  }
  return undefined
}
