import type { Collection } from '../collections.js'
import { isPlainObject, unknownProperty } from '../validate/json.js'
import { declaredFields, parseWhere } from '../validate/parseQuery.js'
import { checkPrincipalRefs, placeholderRefs } from './principalRefs.js'
import { principalCondition } from './readAccess.js'
import type { Authorize, FieldRules } from './rules.js'

const FIELD = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/

/**
 * Validates a collection's `authorize` when the server starts: functions are taken as they are,
 * declarative rules must be wheres over the collection's declared fields (field rules: over
 * the principal) with well-formed `$principal` references. Throws an Error naming the rule.
 */
export function parseAuthorize(
  raw: unknown,
  collection: Omit<Collection, 'authorize'>,
  at: string,
): Authorize {
  if (!isPlainObject(raw)) throw new Error(`${at} must be an object { read?, write?, fields? }`)
  const unknown = unknownProperty(raw, ['read', 'write', 'fields'])
  if (unknown !== undefined) throw new Error(`${at} has an unknown property ${JSON.stringify(unknown)}`)
  for (const name of ['read', 'write'] as const) {
    const rule = raw[name]
    if (rule === undefined || typeof rule === 'boolean' || typeof rule === 'function') continue
    if (!isPlainObject(rule)) throw new Error(`${at}.${name} must be a boolean, a where or a function`)
    checkPrincipalRefs(rule, `${at}.${name}`)
    check(() =>
      parseWhere(
        placeholderRefs(rule),
        `${at}.${name}`,
        declaredFields({ ...collection, authorize: undefined }),
      ),
    )
  }
  if (raw.fields !== undefined) {
    if (!isPlainObject(raw.fields))
      throw new Error(`${at}.fields must be an object of field name → { read?, write? }`)
    for (const [field, rules] of Object.entries(raw.fields)) {
      const where = `${at}.fields.${field}`
      if (!FIELD.test(field) || field === collection.key)
        throw new Error(`${where}: not a field that can have rules`)
      if (!isPlainObject(rules)) throw new Error(`${where} must be an object { read?, write? }`)
      const unknownRule = unknownProperty(rules, ['read', 'write'])
      if (unknownRule !== undefined)
        throw new Error(`${where} has an unknown property ${JSON.stringify(unknownRule)}`)
      for (const [name, rule] of Object.entries(rules as FieldRules)) {
        if (rule === undefined || typeof rule === 'boolean' || typeof rule === 'function') continue
        if (!isPlainObject(rule))
          throw new Error(`${where}.${name} must be a boolean, a where over the principal or a function`)
        check(() => principalCondition(rule, `${where}.${name}`))
      }
    }
  }
  return raw as Authorize
}

function check(parse: () => unknown): void {
  try {
    parse()
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error))
  }
}
