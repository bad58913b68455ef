import type { JsonValue } from '@atoma/runtime'
import { decodeKey } from '../model/json.js'

/** Thrown when a serialized value cannot be turned back into the value it stood for. */
export class NotRestorable extends Error {}

/**
 * The inverse of `toSerializable` for what can be restored: plain data, Map, Set, Date, BigInt,
 * RegExp, undefined and special numbers. Anything cut (`Truncated`, `$truncated`), a cycle, a
 * function, a symbol, a class instance or an error is refused: restoring it would be a guess.
 */
export function fromSerializable(value: JsonValue, path = 'state'): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item, index) => fromSerializable(item, `${path}[${index}]`))
  const type = value.$type
  if (type === undefined) return plainObject(value, path)
  const text = (key: string) => {
    const field = value[key]
    if (typeof field !== 'string')
      throw new NotRestorable(`${path}: a ${String(type)} marker without '${key}'`)
    return field
  }
  switch (type) {
    case 'Undefined':
      return undefined
    case 'Number':
      return Number(text('value'))
    case 'BigInt': {
      const digits = text('value')
      if (!/^-?\d+$/.test(digits)) throw new NotRestorable(`${path}: '${digits}' is not an integer`)
      return BigInt(digits)
    }
    case 'Date':
      return new Date(text('iso'))
    case 'RegExp':
      return new RegExp(text('source'), text('flags'))
    case 'Map':
    case 'Set': {
      if (value.truncated === true)
        throw new NotRestorable(`${path}: the ${type} was cut when it was serialized`)
      const items = type === 'Map' ? value.entries : value.values
      if (!Array.isArray(items)) throw new NotRestorable(`${path}: a ${type} marker without its items`)
      if (type === 'Set')
        return new Set(items.map((item, index) => fromSerializable(item, `${path}{${index}}`)))
      return new Map(
        items.map((entry, index) => {
          if (!Array.isArray(entry) || entry.length !== 2)
            throw new NotRestorable(`${path}: Map entry ${index} is not a [key, value] pair`)
          return [
            fromSerializable(entry[0] as JsonValue, `${path}{${index}}`),
            fromSerializable(entry[1] as JsonValue, `${path}{${index}}`),
          ]
        }),
      )
    }
    default:
      throw new NotRestorable(
        `${path}: a ${typeof type === 'string' ? type : 'marked'} value cannot be restored`,
      )
  }
}

function plainObject(value: { [key: string]: JsonValue }, path: string): Record<string, unknown> {
  if (typeof value.$truncated === 'number')
    throw new NotRestorable(`${path}: ${value.$truncated} keys were cut when it was serialized`)
  const out: Record<string, unknown> = {}
  for (const raw of Object.keys(value)) {
    const key = decodeKey(raw)
    if (key === null) continue
    const item = value[raw] as JsonValue
    // defineProperty: a decoded `__proto__` key must become an own property, not a prototype.
    Object.defineProperty(out, key, {
      value: fromSerializable(item, `${path}.${key}`),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}
