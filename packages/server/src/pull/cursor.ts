import { HttpError } from '../errors.js'
import { isPlainObject, isStorableText, unknownProperty } from '../validate/json.js'
import { MAX_ID_LENGTH } from '../validate/parseId.js'

/** Where a client is in one store's change log: every change up to here was seen, or was not its to see. */
export interface Position {
  version: number
  /**
   * Items of the releases before the change log share versions (each counted from 1), so a page
   * may end inside a run of equal versions: then the rows of `version` up to this id were seen too.
   */
  after?: { kind: 'string' | 'number'; id: string }
  /**
   * A first pull sends live rows only: tombstones up to this version (the store's sequence when
   * the first pull began) are of items the client never had, on this page and the ones after.
   */
  liveUntil?: number
}

/** Positions by store name. */
export type Cursor = ReadonlyMap<string, Position>

const FORMAT = 1
/** Far more than a cursor of every store of any sane config. */
export const MAX_CURSOR_LENGTH = 16 * 1024
const BASE64URL = /^[A-Za-z0-9_-]+$/
const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * A cursor is base64url of `{"v":1,"s":{"tasks":{"v":123}}}`: opaque to clients, who only hand it
 * back. It needs no signature: the read rules apply to every pull whatever the cursor says, so a
 * forged one can only make its client miss or re-read changes it may read anyway.
 */
export function encodeCursor(cursor: Cursor): string {
  // fromEntries defines own properties: a store named like a prototype key stays a plain key.
  const stores = Object.fromEntries(
    [...cursor].map(([store, { version, after, liveUntil }]) => [
      store,
      {
        v: version,
        ...(after === undefined ? {} : { a: [after.kind, after.id] }),
        ...(liveUntil === undefined ? {} : { l: liveUntil }),
      },
    ]),
  )
  return Buffer.from(JSON.stringify({ v: FORMAT, s: stores })).toString('base64url')
}

/**
 * Reads a cursor this server issued; anything else is a 400. Positions of stores the server no
 * longer serves are dropped.
 */
export function decodeCursor(text: unknown, served: ReadonlySet<string>): Map<string, Position> {
  const invalid = (why: string) =>
    new HttpError(
      400,
      'VALIDATION',
      `the cursor is not one this server issued (${why}); pull without it to start over`,
    )
  if (
    typeof text !== 'string' ||
    text.length === 0 ||
    text.length > MAX_CURSOR_LENGTH ||
    !BASE64URL.test(text)
  )
    throw invalid('not a base64url string of a sane length')
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(Buffer.from(text, 'base64url')))
  } catch {
    throw invalid('not JSON')
  }
  if (!isPlainObject(raw) || raw.v !== FORMAT || !isPlainObject(raw.s) || unknownProperty(raw, ['v', 's']))
    throw invalid(`not format ${FORMAT}`)
  const cursor = new Map<string, Position>()
  for (const [store, value] of Object.entries(raw.s)) {
    const position = readPosition(value)
    if (position === undefined)
      throw invalid(`a malformed position for store ${JSON.stringify(store.slice(0, 60))}`)
    if (served.has(store)) cursor.set(store, position)
  }
  return cursor
}

function readPosition(raw: unknown): Position | undefined {
  if (!isPlainObject(raw) || unknownProperty(raw, ['v', 'a', 'l']) !== undefined) return undefined
  const { v, a, l } = raw
  if (!isVersion(v)) return undefined
  const position: Position = { version: v }
  if (l !== undefined) {
    if (!isVersion(l)) return undefined
    position.liveUntil = l
  }
  if (a !== undefined) {
    if (!Array.isArray(a) || a.length !== 2) return undefined
    const [kind, id] = a as unknown[]
    if (kind !== 'string' && kind !== 'number') return undefined
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !isStorableText(id))
      return undefined
    position.after = { kind, id }
  }
  return position
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
