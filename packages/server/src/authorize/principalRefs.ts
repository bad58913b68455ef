import type { Principal } from '../auth/principal.js'
import { isPlainObject, isScalar } from '../validate/json.js'
import type { DeclarativeWhere } from './rules.js'

/** A path into the principal: `id`, `claims.org`. */
export const PRINCIPAL_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*){0,7}$/

/** `{ "$principal": "claims.org" }`: a reference, read from the principal when a rule applies. */
export function isPrincipalRef(value: unknown): value is { $principal: string } {
  return isPlainObject(value) && Object.keys(value).length === 1 && typeof value.$principal === 'string'
}

/** Throws when a reference is malformed; run on every declarative rule when the server starts. */
export function checkPrincipalRefs(node: unknown, at: string): void {
  if (isPrincipalRef(node)) {
    if (!PRINCIPAL_PATH.test(node.$principal))
      throw new Error(
        `${at}: ${JSON.stringify(node.$principal)} is not a principal path such as "id" or "claims.org"`,
      )
    return
  }
  if (Array.isArray(node)) {
    for (const [index, child] of node.entries()) checkPrincipalRefs(child, `${at}[${index}]`)
  } else if (isPlainObject(node)) {
    for (const [key, child] of Object.entries(node)) checkPrincipalRefs(child, `${at}.${key}`)
  }
}

/**
 * The rule with every reference replaced by the principal's value, or undefined when one does
 * not resolve (the rule then matches nothing). Paths follow own properties only; the value must
 * be a finite scalar other than null, or under `in` an array of them (a scalar counts as a
 * list of one).
 */
export function resolvePrincipalRefs(
  where: DeclarativeWhere,
  principal: Principal,
): DeclarativeWhere | undefined {
  try {
    return replace(where, (path, list) => read(principal, path, list)) as DeclarativeWhere
  } catch (error) {
    if (error instanceof Unresolved) return undefined
    throw error
  }
}

/** A stand-in principal whose every path resolves, to validate a rule's shape at start. */
export function placeholderRefs(where: DeclarativeWhere): DeclarativeWhere {
  return replace(where, (_path, list) => (list ? ['principal'] : 'principal')) as DeclarativeWhere
}

class Unresolved extends Error {}

function read(principal: Principal, path: string, list: boolean): unknown {
  let value: unknown = principal
  for (const step of path.split('.')) {
    if (!isPlainObject(value) || !Object.hasOwn(value, step)) throw new Unresolved()
    value = value[step]
  }
  const usable = (item: unknown) =>
    item !== null && isScalar(item) && (typeof item !== 'number' || Number.isFinite(item))
  if (usable(value)) return list ? [value] : value
  if (list && Array.isArray(value) && value.every(usable)) return value
  throw new Unresolved()
}

function replace(node: unknown, lookup: (path: string, list: boolean) => unknown, key?: string): unknown {
  if (isPrincipalRef(node)) return lookup(node.$principal, key === 'in')
  if (Array.isArray(node)) return node.map((child) => replace(child, lookup))
  if (isPlainObject(node)) {
    return Object.fromEntries(
      Object.entries(node).map(([name, child]) => [name, replace(child, lookup, name)]),
    )
  }
  return node
}
