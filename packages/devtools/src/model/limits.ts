import { type JsonValue, toSerializable } from '@atoma/runtime'
import type { Inspectable } from './inspect.js'

/** One changed entity or key, serialized for a diff (live) or a recording (the same form). */
const DIFF_LIMITS = { maxDepth: 6, maxEntries: 100, maxString: 2_000 }
/** A patch value in a recording. */
export const PATCH_LIMITS = { maxDepth: 8, maxEntries: 100, maxString: 10_000 }
/** A store's latest state or a plain store's snapshot in a recording. */
export const STATE_LIMITS = { maxDepth: 8, maxEntries: 500, maxString: 10_000 }
/** Any other event data in a recording. */
export const EVENT_LIMITS = { maxDepth: 6, maxEntries: 100, maxString: 2_000 }
/** Patches and changes kept per transaction in a recording. */
export const RECORDED_PATCHES = 200
export const RECORDED_CHANGES = 100

/** The serialized form of a value for a diff: a bounded copy of a live value, a recorded value as is. */
export function diffForm(node: Inspectable | undefined): JsonValue | undefined {
  if (node === undefined) return undefined
  return node.source === 'json' ? node.value : toSerializable(node.value, DIFF_LIMITS)
}
