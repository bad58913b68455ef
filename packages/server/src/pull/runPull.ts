import type { PullChange, PullResponse } from '@atoma/runtime/protocol'
import { type ReadAccess, visibleItems } from '../authorize/readAccess.js'
import type { Collection } from '../collections.js'
import { type Queryable, type Row, StatementTimeout } from '../db/db.js'
import { entryRef, HttpError } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import { DeadlinePassed } from '../request/deadline.js'
import type { RequestContext } from '../request/requestContext.js'
import { changesPage } from '../sql/changesPage.js'
import { readId, readVersion } from '../sql/itemRows.js'
import { NOTHING } from '../validate/parseQuery.js'
import { encodeCursor, type Position } from './cursor.js'
import type { ParsedPull } from './parsePullRequest.js'

/**
 * Answers a pull: per store asked, in order, the changes after the cursor's position that the
 * principal may read, until the limit or the request's budget is reached (`more` then says so).
 * Everything is read in one snapshot, so each store's new position is exact: the last change
 * answered when the store has more, else the store's sequence as that snapshot holds it (an
 * idle store is not scanned again, and rows the principal may not read are passed for good).
 */
export async function runPull(
  pull: ParsedPull,
  server: OpsContext,
  request: RequestContext,
): Promise<PullResponse> {
  const accesses = await Promise.all(pull.stores.map((collection) => request.access(collection)))
  try {
    request.deadline.check()
    return await server.db.transaction(
      async (tx) => {
        const sequences = await readSequences(tx, pull.stores)
        const cursor = new Map(pull.cursor)
        const changes: PullChange[] = []
        const through: Record<string, number> = {}
        let more = false
        for (const [index, collection] of pull.stores.entries()) {
          const sequence = sequences.get(collection.name) ?? 0
          const position = cursor.get(collection.name) ?? { version: 0, liveUntil: sequence }
          const page = await readPage(
            tx,
            collection,
            accesses[index] as ReadAccess,
            position,
            pull.limit - changes.length,
          )
          if (page === 'full') {
            more = true
            break
          }
          if ('blocked' in page) {
            if (changes.length > 0) {
              more = true
              break
            }
            // Alone in the answer and still too large: no pull of this store can get past it.
            const ref = entryRef(collection.name, readId(page.blocked))
            const message = `${ref}: the change is larger than a pull may answer (limits.maxResponseBytes, ${request.budget.maxBytes} bytes)`
            server.onError(new Error(`${message}; it holds up every pull of the store`))
            throw new HttpError(413, 'RESPONSE_TOO_LARGE', message)
          }
          changes.push(...page.changes)
          const next = page.next ?? { version: Math.max(sequence, page.last ?? 0) }
          cursor.set(collection.name, next)
          // Inside a run of equal versions (`after`), that version is not whole yet.
          through[collection.name] = next.after === undefined ? next.version : next.version - 1
          if (page.next !== undefined) {
            more = true
            break
          }
        }
        return { cursor: encodeCursor(cursor), changes, more, through }
      },
      { snapshot: true, timeoutMs: request.deadline.remainingMs() },
    )
  } catch (error) {
    if (error instanceof StatementTimeout || error instanceof DeadlinePassed) {
      throw new HttpError(
        503,
        'TIMEOUT',
        `the pull ran past the request's time (limits.requestTimeoutMs ${server.limits.requestTimeoutMs})`,
        { retryable: true },
      )
    }
    throw error
  }

  /**
   * One store's page: its changes, and `next`, the position after them when more remain (absent:
   * the store is done, `last` being the last version read). 'full': the limit is reached;
   * `blocked`: the next row does not fit in the bytes left.
   */
  async function readPage(
    tx: Queryable,
    collection: Collection,
    access: ReadAccess,
    position: Position,
    limit: number,
  ): Promise<{ changes: PullChange[]; next?: Position; last?: number } | { blocked: Row } | 'full'> {
    const { budget } = request
    const left = Math.min(limit, budget.rows)
    if (left <= 0) return 'full'
    if (access.rows === NOTHING) return { changes: [] }
    request.deadline.check()
    const { sql, params } = changesPage(collection.name, position, access.rows, {
      rows: left + 1,
      bytes: budget.bytes,
    })
    const rows = await tx.query(sql, params)
    const over = rows.length > 0 && rows.at(-1)?.data === null
    const taken = rows.slice(0, Math.min(left, over ? rows.length - 1 : rows.length))
    const last = taken.at(-1)
    if (last === undefined) return over ? { blocked: rows[0] as Row } : { changes: [] }
    budget.charge(taken.length, Number(last.total))
    const changes = taken.flatMap((row) => change(row, collection, access))
    const version = readVersion(last)
    if (!over && rows.length <= left) return { changes, last: version }
    // A page that ends inside a run of equal versions (rows of the releases before the log) goes on after its last id.
    const tie = readVersion(rows[taken.length] as Row) === version
    const next: Position = { version }
    if (tie) next.after = { kind: last.id_kind === 'number' ? 'number' : 'string', id: String(last.id) }
    if (position.liveUntil !== undefined && position.liveUntil > version) next.liveUntil = position.liveUntil
    return { changes, next }
  }

  /** A row as the principal may see it; none for a live row holding a forbidden key (left out and reported, as queries do). */
  function change(row: Row, collection: Collection, access: ReadAccess): PullChange[] {
    const store = collection.name
    if (row.deleted === true) return [{ store, id: readId(row), version: readVersion(row), deleted: true }]
    return visibleItems([row], collection, access, server.onError).map((item) => ({ store, ...item }))
  }
}

/** The sequence of each store (absent: never changed), read first, so in the pull's snapshot. */
async function readSequences(tx: Queryable, stores: readonly Collection[]): Promise<Map<string, number>> {
  const rows = await tx.query(
    'SELECT store, version FROM atoma_stores WHERE store IN (SELECT jsonb_array_elements_text($1::text::jsonb))',
    [JSON.stringify(stores.map((collection) => collection.name))],
  )
  return new Map(rows.map((row) => [String(row.store), readVersion(row)]))
}
