import type { StandardSchemaV1 } from '@standard-schema/spec'
import { AtomaError } from '../errors.js'
import type { Id } from '../query/types.js'
import type { Instrumentation } from '../txn/types.js'
import { type CollectionModule, collectionModule } from './collectionModule.js'
import { assertName } from './defineStore.js'

/** Where a collection definition carries its machinery (see `collectionModule`). */
export const COLLECTION_MODULE = Symbol.for('atoma.collection.module')

export type KeySpec<T> = (keyof T & string) | ((item: T) => Id)

/** The options of `defineCollection`; only `key` is required. */
export interface CollectionOptions<T> {
  /** The field holding the id, or a function that reads it. */
  key: NoInfer<KeySpec<T>>
  /** Any Standard Schema (zod, valibot, arktype): validates every write and every item a backend returns. */
  schema?: StandardSchemaV1<unknown, T>
  /** The execution policy reads and writes of this collection follow (the runtime's default otherwise). */
  policy?: string
  instrumentation?: Instrumentation
}

/**
 * A collection definition: a name, how to read an item's id, and its schema and policy.
 * It holds no state; a runtime does.
 */
export interface CollectionDef<T = unknown> {
  readonly kind: 'collection'
  readonly name: string
  readonly key: KeySpec<T>
  /** Reads an item's id; throws `VALIDATION` naming the store when it has none. */
  readonly keyOf: (item: T) => Id
  readonly schema?: StandardSchemaV1<unknown, T>
  readonly policy?: string
  readonly instrumentation?: Instrumentation
  /** @internal What a runtime attaches for this collection; reached only through the definition. */
  readonly [COLLECTION_MODULE]: CollectionModule
}

/**
 * Defines a normalized entity collection. The item type comes from the type argument
 * (`defineCollection<Todo>('todos', { key: 'id' })`) or from the schema's output; the key never
 * decides it, so an untyped collection without a schema is a type error rather than `{ id: any }`.
 */
export function defineCollection<T extends object = never>(
  name: string,
  options: CollectionOptions<T> &
    ([T] extends [never] ? { schema: StandardSchemaV1<unknown, object> } : unknown),
): CollectionDef<T> {
  assertName(name, 'defineCollection')
  const { key } = options
  if (typeof key !== 'function' && (typeof key !== 'string' || key.length === 0))
    throw new AtomaError(
      'INVALID_ARGUMENT',
      `defineCollection('${name}'): key must be a field name or a function`,
    )
  const read = typeof key === 'function' ? key : (item: T) => (item as Record<string, unknown>)[key]
  const keyOf = (item: T): Id => {
    const id = item !== null && typeof item === 'object' ? read(item) : undefined
    if ((typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id)))
      return id
    throw new AtomaError(
      'VALIDATION',
      `collection '${name}': item has no valid id (key ${describeKey(key)})`,
      {
        store: name,
      },
    )
  }
  const def: CollectionDef<T> = {
    kind: 'collection',
    name,
    key,
    keyOf,
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.instrumentation ? { instrumentation: options.instrumentation } : {}),
    [COLLECTION_MODULE]: collectionModule,
  }
  return Object.freeze(def)
}

function describeKey(key: KeySpec<never>): string {
  return typeof key === 'function' ? 'function' : `'${key}'`
}
