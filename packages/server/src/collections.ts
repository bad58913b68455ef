import { parseAuthorize } from './authorize/parseAuthorize.js'
import type { Authorize } from './authorize/rules.js'
import { isPlainObject } from './validate/json.js'

/** How a declared field is compared and sorted in queries. */
export type FieldType = 'text' | 'number' | 'boolean' | 'array'

export const FIELD_TYPES: readonly FieldType[] = ['text', 'number', 'boolean', 'array']

/** A collection as written in the config (see README). */
export interface CollectionConfig {
  name: string
  /** The entity key field; default `id`. Always queryable, never declared in `fields`. */
  key?: string
  /** Fields allowed in `where` and `orderBy`, with their type. */
  fields?: Record<string, FieldType>
  /** Who may read and write what (contract name; README: Security). Absent: everyone, everything. */
  authorize?: Authorize
}

/** A collection as the server uses it, validated from its `CollectionConfig`. */
export interface Collection {
  readonly name: string
  readonly key: string
  readonly fields: ReadonlyMap<string, FieldType>
  readonly authorize: Authorize | undefined
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/
const FIELD = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/
/** `and`/`or`/`not` are the combinators of `where`; the rest could reach a prototype. */
const RESERVED = new Set(['and', 'or', 'not', '__proto__', 'constructor', 'prototype'])

/** Narrows a config read from JSON; throws like parseCollections when it is not valid. */
export function assertCollections(input: unknown): asserts input is CollectionConfig[] {
  parseCollections(input)
}

/** Validates a collections config (from options or a config file), rules included; throws an Error naming what is wrong. */
export function parseCollections(input: unknown): Map<string, Collection> {
  if (!Array.isArray(input) || input.length === 0) {
    throw new Error('collections must be a non-empty array of { name, key?, fields? }')
  }
  const collections = new Map<string, Collection>()
  input.forEach((raw: unknown, index) => {
    const at = `collections[${index}]`
    if (!isPlainObject(raw)) throw new Error(`${at} must be an object`)
    for (const property of Object.keys(raw)) {
      if (!['name', 'key', 'fields', 'authorize'].includes(property))
        throw new Error(`${at} has an unknown property "${property}"`)
    }
    const { name, key = 'id', fields = {} } = raw
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new Error(`${at}.name must match ${NAME} (got ${JSON.stringify(name)})`)
    }
    if (collections.has(name)) throw new Error(`${at}: collection "${name}" is declared twice`)
    if (typeof key !== 'string' || !FIELD.test(key) || RESERVED.has(key)) {
      throw new Error(`${at}.key must be a field name (got ${JSON.stringify(key)})`)
    }
    if (!isPlainObject(fields)) throw new Error(`${at}.fields must be an object of field name → type`)
    const declared = new Map<string, FieldType>()
    for (const [field, type] of Object.entries(fields)) {
      if (!FIELD.test(field) || RESERVED.has(field)) {
        throw new Error(`${at}.fields: ${JSON.stringify(field)} is not an allowed field name`)
      }
      if (field === key) throw new Error(`${at}.fields: "${field}" is the key; the key is always queryable`)
      const fieldType = FIELD_TYPES.find((candidate) => candidate === type)
      if (fieldType === undefined) {
        throw new Error(
          `${at}.fields.${field} must be one of ${FIELD_TYPES.join(', ')} (got ${JSON.stringify(type)})`,
        )
      }
      declared.set(field, fieldType)
    }
    const collection = { name, key, fields: declared }
    const authorize =
      raw.authorize === undefined ? undefined : parseAuthorize(raw.authorize, collection, `${at}.authorize`)
    collections.set(name, { ...collection, authorize })
  })
  return collections
}
