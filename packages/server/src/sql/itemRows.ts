import type { Id, RemoteItem } from '@atoma/runtime/protocol'
import type { Row, SqlParam } from '../db/db.js'

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

export function readVersion(row: Row, column = 'version'): number {
  const value = row[column]
  if (typeof value !== 'number') throw new Error(`column ${column}: expected an integer, got ${typeof value}`)
  return value
}

/** jsonb columns are selected as `::text` and parsed here, so both drivers return the same values. */
export function readJson(row: Row, column: string): unknown {
  return JSON.parse(readString(row, column))
}

export function readItem(row: Row): RemoteItem {
  return { id: readId(row), version: readVersion(row), value: readJson(row, 'data') }
}
