import type { RemoteItem } from '@atoma/runtime/protocol'
import type { Principal } from '../auth/principal.js'
import type { Collection } from '../collections.js'
import type { Queryable, Row } from '../db/db.js'
import { errorInfo, OpFailure, quote } from '../errors.js'
import type { OpsContext } from '../ops/opsContext.js'
import { readItems } from '../sql/itemRows.js'
import { matchDocuments } from '../sql/matchDocuments.js'
import {
  type Condition,
  declaredFields,
  EVERYTHING,
  type FieldResolver,
  NOTHING,
  parseWhere,
} from '../validate/parseQuery.js'
import { PRINCIPAL_PATH, resolvePrincipalRefs } from './principalRefs.js'
import { ruleContext } from './ruleContext.js'
import type { Awaitable, DeclarativeWhere, FieldRule, RuleContext } from './rules.js'

/**
 * What one principal may read of one collection, worked out once per request from the
 * collection's `authorize` (RequestContext.access). This is the single place where read rules
 * become SQL: every statement that returns rows AND-s `conditionSql(access.rows)` into its WHERE
 * (translateQuery for queries; the pull and pokes reuse it) and hands its rows to visibleItems.
 */
export interface ReadAccess {
  /** The rows the principal may read. */
  readonly rows: Condition
  /** Fields left out of every item returned, and refused in where and orderBy. */
  readonly hidden: ReadonlySet<string>
  /** Fields the principal may not change. */
  readonly frozen: ReadonlySet<string>
  /** What this principal's queries may name in where and orderBy. */
  readonly fields: FieldResolver
}

/** A rule that threw or answered something that is not a rule's answer: the op fails as an internal error, reported with this message. */
export class RuleFailed extends Error {}

export async function readAccess(
  collection: Collection,
  principal: Principal,
  db: Queryable,
  server: Pick<OpsContext, 'collections' | 'onError'>,
): Promise<ReadAccess> {
  const declared = declaredFields(collection)
  const rules = collection.authorize
  if (rules === undefined) return { rows: EVERYTHING, hidden: new Set(), frozen: new Set(), fields: declared }
  const ctx = ruleContext(db, server)
  const rows = await ruleCondition(collection, 'read rule', principal, async () => {
    const rule = rules.read
    return typeof rule === 'function' ? rule(principal, ctx) : rule
  })
  const hidden = new Set<string>()
  const frozen = new Set<string>()
  for (const [field, { read, write }] of Object.entries(rules.fields ?? {})) {
    const readable = await fieldAllowed(collection, `read rule of field ${field}`, read, principal, ctx, db)
    const writable =
      write === undefined
        ? readable
        : await fieldAllowed(collection, `write rule of field ${field}`, write, principal, ctx, db)
    if (!readable) hidden.add(field)
    if (!writable) frozen.add(field)
  }
  const fields: FieldResolver = (name) => {
    if (hidden.has(name)) {
      throw new OpFailure(
        errorInfo('FORBIDDEN', `field ${quote(name)} of store ${quote(collection.name)} is not readable`),
      )
    }
    return declared(name)
  }
  return { rows, hidden, frozen, fields }
}

/**
 * The items of rows a statement filtered with `access.rows`, as the principal may see them:
 * rows with forbidden keys left out (readItems), hidden fields stripped. Every endpoint that
 * answers rows goes through here.
 */
export function visibleItems(
  rows: readonly Row[],
  collection: Collection,
  access: ReadAccess,
  onError: (error: unknown) => void,
): RemoteItem[] {
  return readItems(rows, collection.name, onError).map((item) => ({
    ...item,
    value: visibleValue(item.value, access),
  }))
}

/** The item without the fields the principal may not read. */
export function visibleValue(value: unknown, access: ReadAccess): unknown {
  if (access.hidden.size === 0 || typeof value !== 'object' || value === null || Array.isArray(value))
    return value
  const visible: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) if (!access.hidden.has(key)) visible[key] = child
  return visible
}

/**
 * A read or declarative write rule's answer as a condition: `true`/undefined everything, `false`
 * nothing, a `where` (references to the principal resolved) validated against the collection's
 * declared fields like any query.
 */
export async function ruleCondition(
  collection: Collection,
  what: string,
  principal: Principal,
  answer: () => Awaitable<unknown>,
): Promise<Condition> {
  let where: unknown
  try {
    where = await answer()
  } catch (error) {
    throw failed(collection, what, error)
  }
  if (where === undefined || where === true) return EVERYTHING
  if (where === false) return NOTHING
  if (typeof where !== 'object' || where === null || Array.isArray(where)) {
    throw failed(collection, what, `answered ${quote(JSON.stringify(where))}, not a where or a boolean`)
  }
  const resolved = resolvePrincipalRefs(where as DeclarativeWhere, principal)
  if (resolved === undefined) return NOTHING
  try {
    return parseWhere(resolved, what, declaredFields(collection))
  } catch (error) {
    throw failed(collection, what, error)
  }
}

export function failed(collection: Collection, what: string, cause: unknown): RuleFailed {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new RuleFailed(`the ${what} of store ${quote(collection.name)} failed: ${reason}`, { cause })
}

async function fieldAllowed(
  collection: Collection,
  what: string,
  rule: FieldRule | undefined,
  principal: Principal,
  ctx: RuleContext,
  db: Queryable,
): Promise<boolean> {
  if (rule === undefined || typeof rule === 'boolean') return rule ?? true
  if (typeof rule === 'function') {
    let allowed: unknown
    try {
      allowed = await rule(principal, ctx)
    } catch (error) {
      throw failed(collection, what, error)
    }
    if (typeof allowed !== 'boolean')
      throw failed(collection, what, `answered ${quote(String(allowed))}, not a boolean`)
    return allowed
  }
  const [allowed] = await matchDocuments(db, principalCondition(rule, `${collection.name}: ${what}`), [
    principal,
  ])
  return allowed === true
}

/** A declarative field rule: a where over the principal, whose fields are paths such as `claims.role`. */
export function principalCondition(rule: DeclarativeWhere, what: string): Condition {
  return parseWhere(rule, what, principalFields)
}

const principalFields: FieldResolver = (name) => {
  if (!PRINCIPAL_PATH.test(name)) {
    throw new OpFailure(
      errorInfo('VALIDATION', `${quote(name)} is not a principal path such as "claims.role"`),
    )
  }
  return { name, type: 'text', path: name.split('.') }
}
