import type { Principal } from '../auth/principal.js'
import type { Collection } from '../collections.js'
import type { Queryable } from '../db/db.js'
import { quote } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import { matchDocuments } from '../sql/matchDocuments.js'
import { type Condition, EVERYTHING } from '../validate/parseQuery.js'
import { failed, type ReadAccess, ruleCondition } from './readAccess.js'
import { ruleContext } from './ruleContext.js'
import type { WriteCheck } from './rules.js'

/**
 * Why the principal may not apply this entry, or undefined when it may. Runs inside the entry's
 * transaction, after `current` was locked and `next` computed, before anything is written:
 * the collection's write rule (absent: the read rule must hold for `current` and `next`), then
 * the fields the principal may not change (a delete is the row rule's business alone).
 */
export async function checkWrite(
  collection: Collection,
  access: ReadAccess,
  principal: Principal,
  tx: Queryable,
  server: Pick<OpsContext, 'collections' | 'onError'>,
  check: WriteCheck,
): Promise<string | undefined> {
  const rule = collection.authorize?.write
  if (typeof rule === 'function') {
    let answer: unknown
    try {
      answer = await rule(principal, structuredClone(check), ruleContext(tx, server))
    } catch (error) {
      throw failed(collection, 'write rule', error)
    }
    if (answer === false) return `the write rule of store ${quote(collection.name)} refused it`
    if (typeof answer === 'string') return answer.slice(0, 500)
    if (answer !== true)
      throw failed(collection, 'write rule', `answered ${quote(String(answer))}, not true, false or a reason`)
  } else if (rule === false) {
    return `store ${quote(collection.name)} is read-only`
  } else if (rule !== true) {
    const condition =
      rule === undefined ? access.rows : await ruleCondition(collection, 'write rule', principal, () => rule)
    if (!(await matchesBoth(tx, condition, check))) {
      return rule === undefined
        ? 'the principal may not read the item before or after this write'
        : `the write rule of store ${quote(collection.name)} does not match the item before or after this write`
    }
  }
  if (check.entry.op !== 'delete') {
    for (const field of access.frozen) {
      if (!sameJson(check.current?.[field], check.next?.[field]))
        return `field ${quote(field)} may not be changed`
    }
  }
  return undefined
}

async function matchesBoth(
  tx: Queryable,
  condition: Condition,
  { current, next }: WriteCheck,
): Promise<boolean> {
  if (condition === EVERYTHING) return true
  const documents = [current, next].filter((document) => document !== null)
  return (await matchDocuments(tx, condition, documents)).every(Boolean)
}

/** Equality of JSON values, object keys in any order (jsonb does not keep the client's order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameJson(item, b[i]))
    )
  }
  const keys = Object.keys(a)
  const other = b as Record<string, unknown>
  return (
    keys.length === Object.keys(other).length &&
    keys.every(
      (key) => Object.hasOwn(other, key) && sameJson((a as Record<string, unknown>)[key], other[key]),
    )
  )
}
