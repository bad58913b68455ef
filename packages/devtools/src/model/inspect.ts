import { type JsonValue, toSerializable } from '@atoma/runtime'
import { formatValue } from './formatValue.js'
import { isJsonObject, markerOf, userKeysOf } from './json.js'

/**
 * A value the panel can show: a runtime value held by reference (live hub) or an already
 * serialized tree (an imported recording). Live values are never serialized whole: the tree
 * serializes one bounded preview per visible row and enumerates children a page at a time.
 */
export type Inspectable =
  | { readonly source: 'live'; readonly value: unknown }
  | { readonly source: 'json'; readonly value: JsonValue }

export const liveValue = (value: unknown): Inspectable => ({ source: 'live', value })
export const jsonValue = (value: JsonValue): Inspectable => ({ source: 'json', value })

export interface InspectChild {
  /** How the child is named in its parent: an index, a property, a Map key, a Set position. */
  key: string
  node: Inspectable
}

export interface InspectPage {
  children: InspectChild[]
  /** Children that can be listed (the page is a slice of them). */
  total: number
  /** Children the serializer left out of a recording; they cannot be shown. */
  omitted: number
}

/** What a row shows about a value: one level, five entries, short strings. */
const PREVIEW = { maxDepth: 1, maxEntries: 5, maxString: 120 }
const KEY_PREVIEW = { maxDepth: 0, maxString: 60 }

/** Runtime state is immutable (committed through immer), so a preview never goes stale. */
const previews = new WeakMap<object, JsonValue>()

/** A bounded serialized form of the value, for one row of text; computed once per object. */
export function previewOf(node: Inspectable): JsonValue {
  if (node.source === 'json') return node.value
  const value = node.value
  if (typeof value !== 'object' || value === null) return toSerializable(value, PREVIEW)
  let preview = previews.get(value)
  if (preview === undefined) {
    preview = toSerializable(value, PREVIEW)
    previews.set(value, preview)
  }
  return preview
}

/** Whether the value has children to expand (empty containers do not). */
export function isExpandable(node: Inspectable): boolean {
  return node.source === 'json' ? jsonExpandable(node.value) : liveExpandable(node.value)
}

/** Children `offset` to `offset + limit` of a container. */
export function childrenOf(node: Inspectable, offset: number, limit: number): InspectPage {
  return node.source === 'json'
    ? jsonChildren(node.value, offset, limit)
    : liveChildren(node.value, offset, limit)
}

interface MapLike {
  size: number
  entries(): Iterable<unknown>
}

/** The serializer's own test (an `EntityMap` reads like a Map), so the tree agrees with previews. */
function isMapLike(value: object): value is MapLike {
  const candidate = value as Partial<MapLike> & { [Symbol.iterator]?: unknown }
  return (
    value instanceof Map ||
    (typeof candidate.entries === 'function' &&
      typeof candidate[Symbol.iterator] === 'function' &&
      typeof candidate.size === 'number')
  )
}

function isLeafObject(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || value instanceof Error
}

function liveExpandable(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || isLeafObject(value)) return false
  try {
    if (Array.isArray(value)) return value.length > 0
    if (value instanceof Set) return value.size > 0
    if (isMapLike(value)) return value.size > 0
    return Object.keys(value).length > 0
  } catch {
    return false
  }
}

function liveChildren(value: unknown, offset: number, limit: number): InspectPage {
  const children: InspectChild[] = []
  const page = (total: number): InspectPage => ({ children, total, omitted: 0 })
  if (typeof value !== 'object' || value === null || isLeafObject(value)) return page(0)
  const end = offset + limit
  try {
    if (Array.isArray(value)) {
      for (let index = offset; index < Math.min(end, value.length); index++)
        children.push({ key: String(index), node: read(() => value[index]) })
      return page(value.length)
    }
    if (value instanceof Set) {
      let index = 0
      for (const item of value) {
        if (index >= end) break
        if (index >= offset) children.push({ key: String(index), node: liveValue(item) })
        index++
      }
      return page(value.size)
    }
    if (isMapLike(value)) {
      // Paging a Map walks past `offset` entries: O(offset), never a copy of the whole map.
      let index = 0
      for (const entry of value.entries()) {
        if (index >= end) break
        if (index >= offset) {
          const [key, item] = Array.isArray(entry) ? entry : [index, entry]
          children.push({ key: keyText(key), node: liveValue(item) })
        }
        index++
      }
      return page(value.size)
    }
    const keys = Object.keys(value)
    const record = value as Record<string, unknown>
    for (const key of keys.slice(offset, end)) children.push({ key, node: read(() => record[key]) })
    return page(keys.length)
  } catch (error) {
    return { children: [{ key: '!', node: unreadable(error) }], total: 1, omitted: 0 }
  }
}

/** A Map key as text; ids (strings, numbers) are the common case and need no serializer. */
function keyText(key: unknown): string {
  const plain = typeof key === 'string' || typeof key === 'number' ? key : toSerializable(key, KEY_PREVIEW)
  return formatValue(plain, 60)
}

/** A getter or a revoked proxy may throw: the row says so instead of breaking the panel. */
function read(get: () => unknown): Inspectable {
  try {
    return liveValue(get())
  } catch (error) {
    return unreadable(error)
  }
}

function unreadable(error: unknown): Inspectable {
  return jsonValue({ $type: 'Unreadable', error: error instanceof Error ? error.message : String(error) })
}

function jsonExpandable(value: JsonValue): boolean {
  return jsonChildren(value, 0, 1).total > 0
}

function jsonChildren(value: JsonValue, offset: number, limit: number): InspectPage {
  const slice = (
    items: readonly JsonValue[],
    omitted: number,
    keyOf: (index: number) => string,
  ): InspectPage => ({
    children: items
      .slice(offset, offset + limit)
      .map((item, index) => ({ key: keyOf(offset + index), node: jsonValue(item) })),
    total: items.length,
    omitted,
  })
  if (Array.isArray(value)) {
    const last = value.at(-1)
    const cut = markerOf(last) === 'Truncated' && isJsonObject(last) && last.reason === 'entries'
    const omitted = cut && isJsonObject(last) && typeof last.omitted === 'number' ? last.omitted : 0
    return slice(cut ? value.slice(0, -1) : value, omitted, String)
  }
  if (!isJsonObject(value)) return slice([], 0, String)
  const marker = markerOf(value)
  if (marker === 'Map' || marker === 'Set') {
    const items = marker === 'Map' ? value.entries : value.values
    const list = Array.isArray(items) ? items : []
    const size = typeof value.size === 'number' ? value.size : list.length
    if (marker === 'Set') return slice(list, size - list.length, String)
    const page = slice(
      list.map((entry) => (Array.isArray(entry) ? (entry[1] ?? null) : null)),
      size - list.length,
      (index) => {
        const entry = list[index]
        return formatValue(Array.isArray(entry) ? (entry[0] ?? null) : null, 60)
      },
    )
    return page
  }
  if (marker === 'Instance')
    return isJsonObject(value.props) ? jsonChildren(value.props, offset, limit) : slice([], 0, String)
  if (marker !== undefined) return slice([], 0, String)
  const { keys, omitted } = userKeysOf(value)
  return {
    children: keys
      .slice(offset, offset + limit)
      .map(([raw, shown]) => ({ key: shown, node: jsonValue(value[raw] ?? null) })),
    total: keys.length,
    omitted,
  }
}
