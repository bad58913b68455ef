/**
 * Turns any runtime value into a JSON-safe tree for the devtools panel and recording export.
 * Values JSON cannot hold become explicit markers — objects with a `$type` key — so a viewer can
 * show them as what they are:
 *
 *   { $type: 'Undefined' }                         { $type: 'Number', value: 'NaN'|'Infinity'|'-Infinity'|'-0' }
 *   { $type: 'BigInt', value: '123' }              { $type: 'Symbol', description: string | null }
 *   { $type: 'Function', name }                    { $type: 'Date', iso }      { $type: 'RegExp', source, flags }
 *   { $type: 'Error', name, message, code? }       { $type: 'Cycle', path }   (path into this output tree)
 *   { $type: 'Map', size, entries: [[k, v], ...], className?, truncated? }   (also any map-like, e.g. EntityMap)
 *   { $type: 'Set', size, values: [...], truncated? }
 *   { $type: 'Instance', className, props: {...} } (own enumerable props of a class instance)
 *   { $type: 'Truncated', reason: 'depth', kind, size }   { $type: 'Truncated', reason: 'string', length, preview }
 *   { $type: 'Truncated', reason: 'entries', omitted }    (last element of a cut array)
 *   { $type: 'Unreadable', error }                 (reading the value threw, e.g. a getter or revoked proxy)
 *
 * Plain objects stay plain objects. Their keys are escaped so that no user data can pose as a
 * marker or reach a prototype after `JSON.parse`: a key starting with `$` gets one more `$`
 * (`$type` -> `$$type`), and `__proto__`, `constructor` and `prototype` become `$__proto__`, ...
 * The only unescaped `$` keys are the serializer's own: `$type` and `$truncated` (number of keys
 * left out of a cut object). `decodeKey` reverses the escaping. Symbol-keyed properties are skipped.
 *
 * Shared (non-cyclic) references are written out at each place they occur; caps on depth, entries
 * and string length keep the output bounded.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export interface SerializeLimits {
  /** Containers nested deeper than this become `Truncated` markers. Default 8. */
  maxDepth?: number
  /** Items kept per array, object, Map or Set. Default 100. */
  maxEntries?: number
  /** Characters kept per string. Default 10,000. */
  maxString?: number
}

type JsonObject = { [key: string]: JsonValue }
type PathSegment = string | number

interface Context {
  maxDepth: number
  maxEntries: number
  maxString: number
  /** object -> length of `path` where it was entered, for the `Cycle` marker */
  ancestors: Map<object, number>
  path: PathSegment[]
}

/** Keys that reach an object's prototype in `obj[key] = ...` or in naive deep merges. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const SERIALIZER_KEYS = new Set(['$type', '$truncated'])

/**
 * Converts any value to a bounded JSON-safe tree, with `$type` markers for what JSON cannot hold (see the top of this module).
 */
export function toSerializable(value: unknown, limits: SerializeLimits = {}): JsonValue {
  return convert(value, 0, {
    maxDepth: limits.maxDepth ?? 8,
    maxEntries: limits.maxEntries ?? 100,
    maxString: limits.maxString ?? 10_000,
    ancestors: new Map(),
    path: [],
  })
}

/** `JSON.stringify` of `toSerializable`: never throws, whatever the value holds. */
export function safeStringify(value: unknown, limits?: SerializeLimits): string {
  return JSON.stringify(toSerializable(value, limits))
}

/** The user's key for a key of a serialized plain object, or `null` for the serializer's own keys. */
export function decodeKey(key: string): string | null {
  if (SERIALIZER_KEYS.has(key)) return null
  return key.startsWith('$') ? key.slice(1) : key
}

function encodeKey(key: string): string {
  return key.startsWith('$') || PROTOTYPE_KEYS.has(key) ? `$${key}` : key
}

function convert(value: unknown, depth: number, ctx: Context): JsonValue {
  switch (typeof value) {
    case 'string':
      return value.length > ctx.maxString
        ? {
            $type: 'Truncated',
            reason: 'string',
            length: value.length,
            preview: value.slice(0, ctx.maxString),
          }
        : value
    case 'number':
      return numberOf(value)
    case 'boolean':
      return value
    case 'undefined':
      return { $type: 'Undefined' }
    case 'bigint':
      return { $type: 'BigInt', value: value.toString() }
    case 'symbol':
      return { $type: 'Symbol', description: value.description ?? null }
    case 'function':
      return { $type: 'Function', name: readName(value) }
  }
  if (value === null) return null
  const object = value as object
  const enteredAt = ctx.ancestors.get(object)
  if (enteredAt !== undefined) return { $type: 'Cycle', path: ctx.path.slice(0, enteredAt) }
  const pathLength = ctx.path.length
  try {
    return convertObject(object, depth, ctx)
  } catch (error) {
    ctx.path.length = pathLength
    return { $type: 'Unreadable', error: messageOf(error) }
  } finally {
    ctx.ancestors.delete(object)
  }
}

function numberOf(value: number): JsonValue {
  if (Number.isNaN(value)) return { $type: 'Number', value: 'NaN' }
  if (value === Number.POSITIVE_INFINITY) return { $type: 'Number', value: 'Infinity' }
  if (value === Number.NEGATIVE_INFINITY) return { $type: 'Number', value: '-Infinity' }
  if (Object.is(value, -0)) return { $type: 'Number', value: '-0' }
  return value
}

function convertObject(object: object, depth: number, ctx: Context): JsonValue {
  // Leaves: shown whole at any depth.
  if (object instanceof Date) {
    const time = object.getTime()
    return { $type: 'Date', iso: Number.isNaN(time) ? 'Invalid Date' : object.toISOString() }
  }
  if (object instanceof RegExp) return { $type: 'RegExp', source: object.source, flags: object.flags }
  if (object instanceof Error || Object.prototype.toString.call(object) === '[object Error]')
    return errorOf(object as Error, ctx)

  if (depth >= ctx.maxDepth) return depthTruncated(object)
  ctx.ancestors.set(object, ctx.path.length)
  if (Array.isArray(object)) return arrayOf(object, depth, ctx)
  if (object instanceof Set) return setOf(object, depth, ctx)
  if (object instanceof Map || isMapLike(object)) return mapOf(object, depth, ctx)
  if (isPlainObject(object)) return propsOf(object, depth, ctx)
  ctx.path.push('props')
  const props = propsOf(object, depth, ctx)
  ctx.path.pop()
  return { $type: 'Instance', className: classNameOf(object), props }
}

interface MapLike {
  size: number
  entries(): Iterable<unknown>
}

/** A non-plain object that reads like a Map (entries, iteration, size), e.g. an `EntityMap`. */
function isMapLike(object: object): object is MapLike {
  const candidate = object as Partial<MapLike> & { [Symbol.iterator]?: unknown }
  return (
    typeof candidate.entries === 'function' &&
    typeof candidate[Symbol.iterator] === 'function' &&
    typeof candidate.size === 'number' &&
    !isPlainObject(object)
  )
}

function isPlainObject(object: object): boolean {
  const proto: unknown = Object.getPrototypeOf(object)
  // Also true for objects from another realm (an iframe), whose Object.prototype is not ours.
  return proto === null || Object.getPrototypeOf(proto) === null
}

function arrayOf(array: readonly unknown[], depth: number, ctx: Context): JsonValue {
  const kept = Math.min(array.length, ctx.maxEntries)
  const out: JsonValue[] = []
  for (let index = 0; index < kept; index++) {
    ctx.path.push(index)
    out.push(convert(array[index], depth + 1, ctx))
    ctx.path.pop()
  }
  if (kept < array.length) out.push({ $type: 'Truncated', reason: 'entries', omitted: array.length - kept })
  return out
}

function setOf(set: ReadonlySet<unknown>, depth: number, ctx: Context): JsonValue {
  const values: JsonValue[] = []
  ctx.path.push('values')
  for (const item of set) {
    if (values.length === ctx.maxEntries) break
    ctx.path.push(values.length)
    values.push(convert(item, depth + 1, ctx))
    ctx.path.pop()
  }
  ctx.path.pop()
  const out: JsonObject = { $type: 'Set', size: set.size, values }
  if (values.length < set.size) out.truncated = true
  return out
}

function mapOf(map: MapLike, depth: number, ctx: Context): JsonValue {
  const entries: JsonValue[] = []
  ctx.path.push('entries')
  for (const entry of map.entries()) {
    if (entries.length === ctx.maxEntries) break
    const [key, value] = Array.isArray(entry) ? entry : [undefined, entry]
    ctx.path.push(entries.length, 0)
    const serializedKey = convert(key, depth + 1, ctx)
    ctx.path[ctx.path.length - 1] = 1
    const serializedValue = convert(value, depth + 1, ctx)
    ctx.path.length -= 2
    entries.push([serializedKey, serializedValue])
  }
  ctx.path.pop()
  const out: JsonObject = { $type: 'Map', size: map.size, entries }
  if (!(map instanceof Map)) out.className = classNameOf(map)
  if (entries.length < map.size) out.truncated = true
  return out
}

function propsOf(object: object, depth: number, ctx: Context): JsonObject {
  const keys = Object.keys(object)
  const kept = Math.min(keys.length, ctx.maxEntries)
  const record = object as Record<string, unknown>
  const out: JsonObject = {}
  for (let index = 0; index < kept; index++) {
    const key = encodeKey(keys[index] as string)
    ctx.path.push(key)
    // Escaped keys never include `__proto__`, so plain assignment defines an own property.
    out[key] = convert(record[keys[index] as string], depth + 1, ctx)
    ctx.path.pop()
  }
  if (kept < keys.length) out.$truncated = keys.length - kept
  return out
}

function errorOf(error: Error, ctx: Context): JsonValue {
  const message = String(error.message)
  const out: JsonObject = {
    $type: 'Error',
    name: String(error.name),
    message: message.length > ctx.maxString ? message.slice(0, ctx.maxString) : message,
  }
  const code: unknown = (error as { code?: unknown }).code
  if (typeof code === 'string') out.code = code
  return out
}

function depthTruncated(object: object): JsonValue {
  if (Array.isArray(object))
    return { $type: 'Truncated', reason: 'depth', kind: 'Array', size: object.length }
  if (object instanceof Set) return { $type: 'Truncated', reason: 'depth', kind: 'Set', size: object.size }
  if (object instanceof Map || isMapLike(object))
    return { $type: 'Truncated', reason: 'depth', kind: 'Map', size: object.size }
  const kind = isPlainObject(object) ? 'Object' : classNameOf(object)
  return { $type: 'Truncated', reason: 'depth', kind, size: Object.keys(object).length }
}

function classNameOf(object: object): string {
  const ctor: unknown = (object as { constructor?: unknown }).constructor
  const name = typeof ctor === 'function' ? readName(ctor) : ''
  return name === '' ? 'Object' : name
}

function readName(fn: object): string {
  const name: unknown = (fn as { name?: unknown }).name
  return typeof name === 'string' ? name : ''
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  try {
    return String(error)
  } catch {
    return 'unknown error'
  }
}
