import type { Id, RemoteItem } from '@atoma/runtime/protocol'
import type { Row, SqlParam } from '../db/db.js'
import { entryRef } from '../errors.js'
import { parseStored } from '../validate/json.js'

/** How an id is stored: its kind and its text (`String(n)` round-trips every finite number). */
export function idParams(id: Id): [kind: SqlParam, text: SqlParam] {
  return [typeof id === 'number' ? 'number' : 'string', String(id)]
}

export function readId(row: Row): Id {
  const text = readString(row, 'id')
  return row.id_kind === 'number' ? Number(text) : text
}

export function readString(row: Row, column: string): string {
  const value = row[column]
  if (typeof value !== 'string') throw new Error(`column ${column}: expected text, got ${typeof value}`)
  return value
}

/**
 * A bigint column as a JS number: `pg` reads int8 as a string, PGlite as a bigint. A version
 * past Number.MAX_SAFE_INTEGER (2^53 - 1, some 285 years of a million changes a second) would
 * not survive JSON intact, so it is an error rather than a wrong number.
 */
export function readVersion(row: Row, column = 'version'): number {
  const value = row[column]
  const version =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint' || typeof value === 'string'
        ? Number(value)
        : Number.NaN
  if (!Number.isSafeInteger(version) || String(version) !== String(value))
    throw new Error(
      `column ${column}: expected an integer up to 2^53 - 1, got ${typeof value} ${String(value).slice(0, 30)}`,
    )
  return version
}

/** jsonb columns are selected as `::text` and parsed here, so both drivers return the same values. */
export function readJson(row: Row, column: string): unknown {
  return JSON.parse(readString(row, column))
}

/** A stored item that holds a forbidden key (put into the database by other means than this server). */
export class UnsafeRow extends Error {}

/**
 * The items of rows `id_kind, id, version, data`. A row holding a `__proto__`, `constructor` or
 * `prototype` key at any depth is left out and reported to `onError` (naming store and id)
 * rather than failing the query: every other row still reaches the clients, and no client
 * ever receives a value that could pollute a prototype once copied.
 */
export function readItems(
  rows: readonly Row[],
  store: string,
  onError: (error: unknown) => void,
): RemoteItem[] {
  const items: RemoteItem[] = []
  for (const row of rows) {
    const id = readId(row)
    const { value, unsafe } = parseStored(readString(row, 'data'))
    if (unsafe !== undefined) {
      onError(
        new UnsafeRow(
          `${entryRef(store, id)}: the stored item holds the forbidden key ${JSON.stringify(unsafe)}; it is left out of query answers until an upsert replaces it or a delete removes it`,
        ),
      )
      continue
    }
    items.push({ id, version: readVersion(row), value })
  }
  return items
}
