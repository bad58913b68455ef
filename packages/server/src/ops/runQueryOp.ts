import { encodeCursor } from '@atoma/runtime'
import type { Id, Query, RemoteQueryResult } from '@atoma/runtime/protocol'
import { visibleItems } from '../authorize/readAccess.js'
import type { Collection } from '../collections.js'
import { quote } from '../errors.js'
import type { RequestContext } from '../request/requestContext.js'
import { readId, readJson } from '../sql/itemRows.js'
import { translateQuery } from '../sql/translateQuery.js'
import { NOTHING, parseQuery } from '../validate/parseQuery.js'
import type { OpsContext } from './opsContext.js'

/**
 * One query, within the principal's read access and the request's budget: the database reads
 * at most the rows and bytes left (translateQuery), so an answer over budget is known without
 * holding it, and fails the op with RESPONSE_TOO_LARGE. A page (`limit`) that more rows follow
 * answers the cursor of the gap after its last row, the next page's `after`.
 */
export async function runQueryOp(
  opId: string,
  rawQuery: unknown,
  collection: Collection,
  server: OpsContext,
  request: RequestContext,
): Promise<RemoteQueryResult> {
  const access = await request.access(collection)
  const query = parseQuery(rawQuery, collection.name, access.fields, server.limits.maxQueryLimit)
  request.deadline.check()
  const { budget } = request
  const what = `the answer of the query on store ${quote(collection.name)}`
  if (budget.spent) throw budget.tooLarge(what, false)
  if (access.rows === NOTHING) return { opId, ok: true, kind: 'query', items: [] }
  const untouched = budget.untouched
  const cap = { rows: budget.rows, bytes: budget.bytes }
  const { sql, params } = translateQuery(collection.name, query, access.rows, cap)
  const rows = await request.db.query(sql, params)
  const bytes = Number(rows.at(-1)?.total ?? 0)
  if (rows.length > cap.rows || bytes > cap.bytes) {
    budget.spend()
    throw budget.tooLarge(what, untouched)
  }
  budget.charge(rows.length, bytes)
  const items = visibleItems(rows, collection, access, server.onError)
  const last = rows.at(-1)
  if (last === undefined || last.more !== true) return { opId, ok: true, kind: 'query', items }
  // More rows follow: the cursor of the gap after the last one read (even if it was left out of
  // the answer), in the runtime's format. Its values are the stored ones, which the principal may
  // read (orderBy refuses hidden fields); the key is the row's.
  const key = collection.key
  const stored = { ...(readJson(last, 'data') as Record<string, unknown>), [key]: readId(last) }
  const cursor = encodeCursor(collection.name, rawQuery as Query, stored, (item) => item[key] as Id, 'after')
  return { opId, ok: true, kind: 'query', items, cursor }
}
