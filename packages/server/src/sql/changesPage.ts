import type { Position } from '../pull/cursor.js'
import type { Condition } from '../validate/parseQuery.js'
import { conditionSql, cutToBytes, Params, type ResultCap, type SqlQuery } from './translateQuery.js'

/**
 * One page of a store's change log after `position`, in version order (ties, which only rows of
 * the releases before the log have, broken by the id): live rows and tombstones that `visible`
 * lets the principal read (on a tombstone's last data), at most `cap.rows` rows and, like a
 * query, cut at `cap.bytes` of item JSON (the first row over comes back with `data` NULL).
 * The index on (store, version, id_kind, id) serves both the condition and the order.
 */
export function changesPage(store: string, position: Position, visible: Condition, cap: ResultCap): SqlQuery {
  const params = new Params()
  const version = `${params.add(String(position.version))}::text::bigint`
  const conditions = [`store = ${params.add(store)}::text`]
  const { after, liveUntil } = position
  conditions.push(
    after === undefined
      ? `version > ${version}`
      : `(version > ${version} OR (version = ${version} AND (id_kind, id) > (${params.add(after.kind)}::text, ${params.add(after.id)}::text)))`,
  )
  if (liveUntil !== undefined)
    conditions.push(`(NOT deleted OR version > ${params.add(String(liveUntil))}::text::bigint)`)
  conditions.push(conditionSql(visible, params))
  const page = `SELECT id_kind, id, version, deleted, CASE WHEN deleted THEN '' ELSE data::text END AS text
    FROM atoma_items WHERE ${conditions.join(' AND ')}
    ORDER BY version, id_kind, id LIMIT ${params.add(String(cap.rows))}::text::bigint`
  return { sql: cutToBytes(page, params.add(String(cap.bytes)), ['deleted']), params: params.values }
}
