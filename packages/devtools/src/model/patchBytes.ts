import { safeStringify } from '@atoma/runtime'

/** Patches measured one by one; beyond this many the rest are extrapolated from their average. */
const SAMPLE = 200
const LIMITS = { maxDepth: 8, maxEntries: 100, maxString: 10_000 }
const encoder = new TextEncoder()

export interface ByteCount {
  bytes: number
  /** True when patches were sampled or a value was too big to serialize whole. */
  approx: boolean
}

/** UTF-8 size of the patches as JSON (`[p1,p2,...]`), serialized the way the panel exports them. */
export function livePatchBytes(patches: readonly unknown[]): ByteCount {
  if (patches.length === 0) return { bytes: 2, approx: false }
  const count = Math.min(patches.length, SAMPLE)
  let bytes = 0
  let truncated = false
  for (let index = 0; index < count; index++) {
    const text = safeStringify(patches[index], LIMITS)
    truncated ||= text.includes('"$type":"Truncated"')
    bytes += encoder.encode(text).length
  }
  const all = count === patches.length ? bytes : Math.round((bytes / count) * patches.length)
  return { bytes: all + patches.length + 1, approx: truncated || count < patches.length }
}
