import type { RemoteQueryResult } from '@atoma/runtime/protocol'
import type { Collection } from '../collections.js'
import { readItem } from '../sql/itemRows.js'
import { translateQuery } from '../sql/translateQuery.js'
import { parseQuery } from '../validate/parseQuery.js'
import type { OpsContext } from './opsContext.js'

export async function runQueryOp(
  opId: string,
  rawQuery: unknown,
  collection: Collection,
  context: OpsContext,
): Promise<RemoteQueryResult> {
  const query = parseQuery(rawQuery, collection, context.limits.maxQueryLimit)
  const { sql, params } = translateQuery(collection.name, query)
  const rows = await context.db.query(sql, params)
  return { opId, ok: true, kind: 'query', items: rows.map(readItem) }
}
