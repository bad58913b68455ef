import type { JsonValue } from '@atoma/runtime'
import { formatValue } from './formatValue.js'
import { isJsonObject, markerOf, userKeysOf } from './json.js'

export interface DiffLine {
  /** `title`, `tags[2]`, `meta{"a"}` — relative to the changed entity or key. */
  path: string
  kind: 'added' | 'removed' | 'changed'
  before?: JsonValue
  after?: JsonValue
}

/**
 * The leaf-level differences between two serialized values (undefined = absent). Plain objects,
 * arrays and Maps are compared member by member; anything else is compared whole. Stops after
 * `limit` lines; the inputs are already capped in depth by the serializer.
 */
export function diffJson(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  limit = 200,
): DiffLine[] {
  const lines: DiffLine[] = []
  walk(before, after, '', lines, limit)
  return lines
}

function walk(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string,
  lines: DiffLine[],
  limit: number,
): void {
  if (lines.length >= limit) return
  if (before === undefined && after === undefined) return
  if (before === undefined) {
    lines.push({ path, kind: 'added', after: after as JsonValue })
    return
  }
  if (after === undefined) {
    lines.push({ path, kind: 'removed', before })
    return
  }
  if (sameJson(before, after)) return
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let index = 0; index < Math.max(before.length, after.length); index++)
      walk(before[index], after[index], `${path}[${index}]`, lines, limit)
    return
  }
  const kind = markerOf(before)
  if (isJsonObject(before) && isJsonObject(after) && kind === markerOf(after)) {
    if (kind === undefined) {
      walkObjects(before, after, path, lines, limit)
      return
    }
    if (kind === 'Map') {
      walkMaps(before, after, path, lines, limit)
      return
    }
  }
  lines.push({ path, kind: 'changed', before, after })
}

function walkObjects(
  before: { [key: string]: JsonValue },
  after: { [key: string]: JsonValue },
  path: string,
  lines: DiffLine[],
  limit: number,
): void {
  const shown = new Map<string, string>()
  for (const [raw, key] of [...userKeysOf(before).keys, ...userKeysOf(after).keys]) shown.set(raw, key)
  for (const [raw, key] of shown) {
    const child = path === '' ? key : `${path}.${key}`
    walk(
      Object.hasOwn(before, raw) ? before[raw] : undefined,
      Object.hasOwn(after, raw) ? after[raw] : undefined,
      child,
      lines,
      limit,
    )
  }
}

function walkMaps(
  before: { [key: string]: JsonValue },
  after: { [key: string]: JsonValue },
  path: string,
  lines: DiffLine[],
  limit: number,
): void {
  const entries = (map: { [key: string]: JsonValue }) => {
    const byKey = new Map<string, JsonValue>()
    if (Array.isArray(map.entries))
      for (const entry of map.entries)
        if (Array.isArray(entry)) byKey.set(formatValue(entry[0] ?? null, 200), entry[1] ?? null)
    return byKey
  }
  const was = entries(before)
  const now = entries(after)
  for (const key of new Set([...was.keys(), ...now.keys()]))
    walk(was.get(key), now.get(key), `${path}{${key}}`, lines, limit)
}

/** Structural equality of two serialized values (key order ignored). */
function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, index) => sameJson(item, b[index] as JsonValue))
  }
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key] as JsonValue, b[key] as JsonValue))
}
