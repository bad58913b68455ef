import type { Queryable } from '../db/db.js'
import type { Condition } from '../validate/parseQuery.js'
import { conditionSql, Params } from './translateQuery.js'

/**
 * Whether each document matches `condition`, decided by the same SQL that filters queries, so
 * a rule means exactly the same on a row about to be written (or on a principal) as in a
 * query. One round trip for all of them.
 */
export async function matchDocuments(
  db: Queryable,
  condition: Condition,
  documents: readonly unknown[],
): Promise<boolean[]> {
  if (documents.length === 0) return []
  const params = new Params()
  const columns = documents.map((document, index) => {
    const doc = `${params.add(JSON.stringify(document))}::text::jsonb`
    return `${conditionSql(condition, params, doc)} AS m${index}`
  })
  const [row] = await db.query(`SELECT ${columns.join(', ')}`, params.values)
  return documents.map((_, index) => row?.[`m${index}`] === true)
}
