import type { Queryable } from '../db/db.js'
import { OpFailure } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import { readItems } from '../sql/itemRows.js'
import { translateQuery } from '../sql/translateQuery.js'
import { isPlainObject } from '../validate/json.js'
import { declaredFields, EVERYTHING, parseWhere } from '../validate/parseQuery.js'
import type { Item, RuleContext } from './rules.js'

const MAX_ITEMS = 1000
/** What one rule read may hold in memory; a rule needing more should ask for less. */
const MAX_BYTES = 8 * 1024 * 1024

/**
 * Reads for rules on `db` (during a write: the entry's transaction). They run the query
 * language through the same validation and SQL as client queries, without rules, and throw
 * (failing the op or entry as an internal error) on a bad store, a bad where or too much data.
 */
export function ruleContext(db: Queryable, server: Pick<OpsContext, 'collections' | 'onError'>): RuleContext {
  const find: RuleContext['find'] = async (store, where = {}, { limit = MAX_ITEMS } = {}) => {
    const collection = server.collections.get(store)
    if (collection === undefined) throw new Error(`a rule read the unknown store ${JSON.stringify(store)}`)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ITEMS) {
      throw new Error(`a rule read of ${store} asked for limit ${limit} (1 to ${MAX_ITEMS})`)
    }
    let condition: ReturnType<typeof parseWhere>
    try {
      condition = parseWhere(where, 'where', declaredFields(collection))
    } catch (error) {
      if (error instanceof OpFailure) throw new Error(`a rule read of ${store}: ${error.message}`)
      throw error
    }
    const { sql, params } = translateQuery(
      store,
      { where: condition, orderBy: [], offset: 0, limit },
      EVERYTHING,
      { rows: limit, bytes: MAX_BYTES },
    )
    const rows = await db.query(sql, params)
    if (rows.some((row) => row.data === null)) {
      throw new Error(`a rule read of ${store} came to more than ${MAX_BYTES} bytes`)
    }
    return readItems(rows, store, server.onError).flatMap((item) =>
      isPlainObject(item.value) ? [item.value] : [],
    )
  }
  return {
    find,
    async get(store, id) {
      const collection = server.collections.get(store)
      if (collection === undefined) throw new Error(`a rule read the unknown store ${JSON.stringify(store)}`)
      const [item]: (Item | undefined)[] = await find(store, { [collection.key]: id }, { limit: 1 })
      return item
    },
  }
}
