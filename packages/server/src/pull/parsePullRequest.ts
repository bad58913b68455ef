import type { Collection } from '../collections.js'
import { HttpError, quote } from '../errors.js'
import { isPlainObject, unknownProperty } from '../validate/json.js'
import { decodeCursor, type Position } from './cursor.js'

/** A validated `PullRequest`. */
export interface ParsedPull {
  /** Every position the cursor holds, also of stores this pull does not ask for (they are handed back). */
  cursor: Map<string, Position>
  /** In the order asked, each once. */
  stores: Collection[]
  limit: number
}

export const DEFAULT_PULL_LIMIT = 1000

/** `{ cursor?, stores?, limit? }`; anything else answers 400 naming what is wrong. */
export function parsePullRequest(
  raw: unknown,
  collections: ReadonlyMap<string, Collection>,
  maxLimit: number,
): ParsedPull {
  const invalid = (message: string) => new HttpError(400, 'VALIDATION', message)
  if (!isPlainObject(raw)) throw invalid('a pull is a JSON object { cursor?, stores?, limit? }')
  const unknown = unknownProperty(raw, ['cursor', 'stores', 'limit'])
  if (unknown !== undefined) throw invalid(`a pull has an unknown property ${quote(unknown)}`)
  const { cursor, stores = [...collections.keys()], limit = DEFAULT_PULL_LIMIT } = raw
  if (!Array.isArray(stores)) throw invalid('stores must be an array of store names')
  const asked = new Map<string, Collection>()
  for (const name of stores) {
    if (typeof name !== 'string') throw invalid('stores must be an array of store names')
    const collection = collections.get(name)
    if (collection === undefined) throw invalid(`unknown store ${quote(name)}`)
    asked.set(name, collection)
  }
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)
    throw invalid('limit must be a positive integer')
  return {
    cursor: cursor === undefined ? new Map() : decodeCursor(cursor, new Set(collections.keys())),
    stores: [...asked.values()],
    limit: Math.min(limit, maxLimit),
  }
}
