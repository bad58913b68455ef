import type { RemoteQueryResult } from '@atoma/runtime/protocol'
import { visibleItems } from '../authorize/readAccess.js'
import type { Collection } from '../collections.js'
import { quote } from '../errors.js'
import type { RequestContext } from '../request/requestContext.js'
import { translateQuery } from '../sql/translateQuery.js'
import { NOTHING, parseQuery } from '../validate/parseQuery.js'
import type { OpsContext } from './opsContext.js'

/**
 * One query, within the principal's read access and the request's budget: the database reads
 * at most the rows and bytes left (translateQuery), so an answer over budget is known without
 * holding it, and fails the op with RESPONSE_TOO_LARGE.
 */
export async function runQueryOp(
  opId: string,
  rawQuery: unknown,
  collection: Collection,
  server: OpsContext,
  request: RequestContext,
): Promise<RemoteQueryResult> {
  const access = await request.access(collection)
  const query = parseQuery(rawQuery, access.fields, server.limits.maxQueryLimit)
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
  return { opId, ok: true, kind: 'query', items: visibleItems(rows, collection, access, server.onError) }
}
