/**
 * Record payloads are JSON text, so a log stays readable with any hex viewer and decodes at the
 * speed of the engine's `JSON.parse`. State is not always JSON, though, and `JSON.stringify` would
 * quietly turn a `Date` into a string, a `Map` into `{}` and `NaN` into `null`, and drop
 * `undefined` fields: a persisted state that comes back different. So the encoder walks the value
 * first and either encodes what JSON cannot carry or refuses it:
 *
 * - encoded: `undefined` (fields keep their key), `NaN`, `±Infinity`, `-0`, `bigint`, `Date`,
 *   `Map` and `Set` (their entries encoded the same way), array holes (as `undefined`);
 * - refused with `JOURNAL_UNSUPPORTED_VALUE` naming the path: functions, symbols, class
 *   instances and other built-ins (RegExp, typed arrays, Error…), and cycles. Shared references
 *   are stored once per place (as in JSON and immer's patches); symbol keys are not stored.
 *
 * An encoded value is replaced by a JSON placeholder (a `Map` by its entry list, a `Date` by its
 * time value…) and listed in a side table under the payload's `$` key, as `[path, tag]` pairs in
 * post-order (superjson's layout): the JSON of plain data is left exactly as it was — no escaping
 * of user keys, and a payload with nothing special has no `$` at all and decodes with one
 * `JSON.parse`. The walk copies only the objects on the way to a special value.
 */
type Segment = string | number
type Tag = 'undefined' | 'nan' | 'inf' | '-inf' | '-0' | 'bigint' | 'date' | 'map' | 'set'
type Meta = [Segment[], Tag][]

/** Thrown by `encodePayload` for a value it refuses; the caller adds which journal and record. */
export class UnsupportedValue extends Error {
  readonly path: string
  constructor(what: string, path: Segment[]) {
    const where = path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')
    super(`cannot store ${what} at ${where.replace(/^\./, '') || 'the root'}`)
    this.path = where
  }
}

/** JSON text for a record payload (an object whose keys the journal owns; `$` is reserved). */
export function encodePayload(payload: Record<string, unknown>): string {
  const walk = new Walk()
  const json = walk.value(payload) as Record<string, unknown>
  return JSON.stringify(walk.meta.length === 0 ? json : { ...json, $: walk.meta })
}

class Walk {
  readonly meta: Meta = []
  private readonly path: Segment[] = []
  private readonly ancestors = new Set<object>()

  /** The JSON-safe form of `value`: `value` itself unless something under it had to change. */
  value(value: unknown): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value
      case 'number':
        if (Number.isFinite(value) && !Object.is(value, -0)) return value
        return this.tag(
          Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : '-0',
          0,
        )
      case 'undefined':
        return this.tag('undefined', null)
      case 'bigint':
        return this.tag('bigint', value.toString())
      case 'object':
        return value === null ? null : this.object(value)
      default:
        throw new UnsupportedValue(`a ${typeof value}`, this.path)
    }
  }

  private object(value: object): unknown {
    if (this.ancestors.has(value)) throw new UnsupportedValue('a cycle', this.path)
    this.ancestors.add(value)
    try {
      if (Array.isArray(value)) return this.array(value)
      if (value instanceof Date) {
        const time = value.getTime()
        return this.tag('date', Number.isNaN(time) ? null : time)
      }
      if (value instanceof Map) {
        const entries = [...value].map(([k, v], i) =>
          this.at(i, () => [this.at(0, () => this.value(k)), this.at(1, () => this.value(v))]),
        )
        return this.tag('map', entries)
      }
      if (value instanceof Set)
        return this.tag(
          'set',
          [...value].map((v, i) => this.at(i, () => this.value(v))),
        )
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        throw new UnsupportedValue(`an instance of ${proto?.constructor?.name ?? 'a class'}`, this.path)
      }
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
      let copy: Record<string, unknown> | undefined
      for (const key of keys) {
        const child = record[key]
        const encoded = this.at(key, () => this.value(child))
        if (encoded !== child && copy === undefined) copy = { ...record }
        if (copy !== undefined) copy[key] = encoded
      }
      return copy ?? value
    } finally {
      this.ancestors.delete(value)
    }
  }

  /** Arrays: holes and `undefined` alike become tagged `null`s. */
  private array(array: unknown[]): unknown[] {
    let copy: unknown[] | undefined
    for (let i = 0; i < array.length; i++) {
      const child = array[i]
      const encoded = this.at(i, () => this.value(child))
      if (encoded !== child && copy === undefined) copy = array.slice()
      if (copy !== undefined) copy[i] = encoded
    }
    return copy ?? array
  }

  private at<T>(segment: Segment, body: () => T): T {
    this.path.push(segment)
    try {
      return body()
    } finally {
      this.path.pop()
    }
  }

  /** Children were pushed first, so the side table is in post-order. */
  private tag(tag: Tag, placeholder: unknown): unknown {
    this.meta.push([[...this.path], tag])
    return placeholder
  }
}

/** The payload `encodePayload` wrote. Throws a plain `Error` saying what is wrong. */
export function decodePayload(text: string): Record<string, unknown> {
  const payload: unknown = JSON.parse(text)
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new Error('the payload is not an object')
  }
  const record = payload as Record<string, unknown>
  if (!Object.hasOwn(record, '$')) return record
  const meta = record.$
  delete record.$
  if (!Array.isArray(meta)) throw new Error('the table of encoded values is not a list')
  for (const entry of meta) revive(record, entry)
  return record
}

function revive(root: Record<string, unknown>, entry: unknown): void {
  if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[0]) || entry[0].length === 0) {
    throw new Error('an entry of the table of encoded values is malformed')
  }
  const [path, tag] = entry as [unknown[], unknown]
  let parent: unknown = root
  for (let i = 0; i < path.length - 1; i++) parent = own(parent, path[i])
  const last = path[path.length - 1]
  const placeholder = own(parent, last)
  ;(parent as Record<string, unknown>)[last as string] = reviveValue(tag, placeholder)
}

/** An own child only: a path must not reach `__proto__` or anything inherited. */
function own(parent: unknown, segment: unknown): unknown {
  if (
    typeof parent !== 'object' ||
    parent === null ||
    (typeof segment !== 'string' && typeof segment !== 'number') ||
    !Object.hasOwn(parent, segment)
  ) {
    throw new Error(`an encoded value's path does not resolve at ${JSON.stringify(segment)}`)
  }
  return (parent as Record<string, unknown>)[segment]
}

function reviveValue(tag: unknown, placeholder: unknown): unknown {
  const bad = (): never => {
    throw new Error(`an encoded ${String(tag)} has a malformed placeholder`)
  }
  switch (tag) {
    case 'undefined':
      return placeholder === null ? undefined : bad()
    case 'nan':
      return Number.NaN
    case 'inf':
      return Number.POSITIVE_INFINITY
    case '-inf':
      return Number.NEGATIVE_INFINITY
    case '-0':
      return -0
    case 'bigint':
      return typeof placeholder === 'string' && /^-?\d+$/.test(placeholder) ? BigInt(placeholder) : bad()
    case 'date':
      return placeholder === null || typeof placeholder === 'number'
        ? new Date(placeholder ?? Number.NaN)
        : bad()
    case 'map':
      if (!Array.isArray(placeholder) || !placeholder.every((e) => Array.isArray(e) && e.length === 2)) bad()
      return new Map(placeholder as [unknown, unknown][])
    case 'set':
      return Array.isArray(placeholder) ? new Set(placeholder) : bad()
    default:
      throw new Error(`unknown encoded value tag ${JSON.stringify(tag)}`)
  }
}
