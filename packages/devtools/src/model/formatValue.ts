import type { JsonValue } from '@atoma/runtime'
import { isJsonObject, markerOf, userKeysOf } from './json.js'

/** How a value is coloured in the panel. */
export type ValueKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'undefined'
  | 'bigint'
  | 'date'
  | 'special'
  | 'map'
  | 'set'
  | 'array'
  | 'object'
  | 'warning'

export function kindOf(value: JsonValue): ValueKind {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  switch (typeof value) {
    case 'string':
      return 'string'
    case 'number':
      return 'number'
    case 'boolean':
      return 'boolean'
  }
  switch (markerOf(value)) {
    case undefined:
      return 'object'
    case 'Undefined':
      return 'undefined'
    case 'Number':
      return 'number'
    case 'BigInt':
      return 'bigint'
    case 'Date':
      return 'date'
    case 'Map':
      return 'map'
    case 'Set':
      return 'set'
    case 'Instance':
      return 'object'
    case 'Truncated': {
      const kind = isJsonObject(value) ? value.kind : undefined
      return kind === 'Array' ? 'array' : kind === 'Map' ? 'map' : kind === 'Set' ? 'set' : 'object'
    }
    case 'Cycle':
    case 'Unreadable':
      return 'warning'
    default:
      return 'special'
  }
}

interface Writer {
  text: string
  max: number
}

/**
 * One line of text for a serialized value, at most `max` characters: `Map(3) {1 => {…}, …}`,
 * `2024-05-01T10:00:00.000Z`, `12n`, `[Cycle → root.self]`... It is plain text, rendered as a
 * text node, so nothing in a value can ever become markup.
 */
export function formatValue(value: JsonValue, max = 120): string {
  const out: Writer = { text: '', max }
  write(value, out, 0)
  return out.text.length > max ? `${out.text.slice(0, max - 1)}…` : out.text
}

/** Nested containers beyond this depth are shown as `{…}` / `[…]`. */
const PREVIEW_DEPTH = 2

function write(value: JsonValue, out: Writer, depth: number): void {
  if (out.text.length > out.max) return
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    out.text += String(value)
    return
  }
  if (typeof value === 'string') {
    out.text += JSON.stringify(value)
    return
  }
  if (Array.isArray(value)) {
    if (depth >= PREVIEW_DEPTH) out.text += value.length === 0 ? '[]' : `Array(${value.length})`
    else writeList('[', ']', value, out, (item) => write(item, out, depth + 1))
    return
  }
  const marker = markerOf(value)
  if (marker === undefined) {
    writeObject('', value, out, depth)
    return
  }
  writeMarker(marker, value, out, depth)
}

function writeMarker(marker: string, value: { [key: string]: JsonValue }, out: Writer, depth: number): void {
  const str = (key: string) => {
    const field = value[key]
    return typeof field === 'string' ? field : String(field ?? '')
  }
  switch (marker) {
    case 'Undefined':
      out.text += 'undefined'
      return
    case 'Number':
      out.text += str('value')
      return
    case 'BigInt':
      out.text += `${str('value')}n`
      return
    case 'Symbol':
      out.text += `Symbol(${value.description === null ? '' : str('description')})`
      return
    case 'Function':
      out.text += `ƒ ${str('name') || 'anonymous'}()`
      return
    case 'Date':
      out.text += str('iso')
      return
    case 'RegExp':
      out.text += `/${str('source')}/${str('flags')}`
      return
    case 'Error':
      out.text += `${str('name')}: ${str('message')}`
      return
    case 'Cycle': {
      const path = Array.isArray(value.path) ? value.path.map(String) : []
      out.text += `[Cycle → ${['root', ...path].join('.')}]`
      return
    }
    case 'Unreadable':
      out.text += `[unreadable: ${str('error')}]`
      return
    case 'Map':
    case 'Set': {
      const name = marker === 'Map' && typeof value.className === 'string' ? value.className : marker
      out.text += `${name}(${str('size')})`
      const items = marker === 'Map' ? value.entries : value.values
      if (!Array.isArray(items) || items.length === 0 || depth >= PREVIEW_DEPTH) return
      out.text += ' '
      writeList('{', '}', items, out, (item) => {
        if (marker === 'Set' || !Array.isArray(item)) return write(item, out, depth + 1)
        write(item[0] ?? null, out, depth + 1)
        out.text += ' => '
        write(item[1] ?? null, out, depth + 1)
      })
      return
    }
    case 'Instance': {
      const props = value.props
      if (isJsonObject(props)) writeObject(`${str('className')} `, props, out, depth)
      else out.text += str('className')
      return
    }
    case 'Truncated':
      writeTruncated(value, str, out)
      return
    default:
      // Not a marker this version knows (an imported file): show it as the object it is.
      writeObject('', value, out, depth)
  }
}

function writeTruncated(
  value: { [key: string]: JsonValue },
  str: (key: string) => string,
  out: Writer,
): void {
  switch (value.reason) {
    case 'string':
      out.text += `${JSON.stringify(str('preview'))}… (${str('length')} chars)`
      return
    case 'entries':
      out.text += `… ${str('omitted')} more`
      return
    default: {
      const kind = str('kind')
      out.text +=
        kind === 'Object'
          ? `{…${str('size')} keys}`
          : kind === 'Array'
            ? `Array(${str('size')})`
            : `${kind}(${str('size')})`
    }
  }
}

function writeObject(prefix: string, object: { [key: string]: JsonValue }, out: Writer, depth: number): void {
  const { keys, omitted } = userKeysOf(object)
  out.text += prefix
  if (depth >= PREVIEW_DEPTH) {
    out.text += keys.length === 0 && omitted === 0 ? '{}' : '{…}'
    return
  }
  writeList('{', '}', keys, out, ([raw, shown]) => {
    out.text += `${shown}: `
    write(object[raw] ?? null, out, depth + 1)
  })
  if (omitted > 0) out.text = `${out.text.slice(0, -1)}, … ${omitted} more}`
}

/** Writes items until the line is full; the rest are cut by `formatValue`'s ellipsis. */
function writeList<T>(
  open: string,
  close: string,
  items: readonly T[],
  out: Writer,
  each: (item: T) => void,
): void {
  out.text += open
  for (let index = 0; index < items.length && out.text.length <= out.max; index++) {
    if (index > 0) out.text += ', '
    each(items[index] as T)
  }
  out.text += close
}
