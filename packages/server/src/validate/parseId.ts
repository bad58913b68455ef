import type { Id } from '@atoma/runtime/protocol'
import { isStorableText } from './json.js'

export const MAX_ID_LENGTH = 512

/** An entity id: a non-empty storable string or a finite number. Returns undefined when invalid. */
export function parseId(raw: unknown): Id | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined
  if (typeof raw === 'string' && raw.length > 0 && raw.length <= MAX_ID_LENGTH && isStorableText(raw))
    return raw
  return undefined
}
