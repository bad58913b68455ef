import type { StandardSchemaV1 } from '@standard-schema/spec'
import { AtomaError } from '../errors.js'
import type { Id } from '../query/types.js'

function failure(
  store: string,
  what: string,
  issues: ReadonlyArray<StandardSchemaV1.Issue>,
  id?: Id,
): AtomaError {
  const details = issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
  return new AtomaError(
    'VALIDATION',
    `collection '${store}': ${what}${id === undefined ? '' : ` '${id}'`} is invalid: ${details}`,
    {
      store,
      ...(id === undefined ? {} : { id }),
    },
  )
}

/**
 * Validates a value about to be written. Writes are optimistic and commit synchronously, so the
 * schema must validate synchronously (zod, valibot and arktype do for plain schemas).
 */
export function validateWrite<T>(
  schema: StandardSchemaV1<unknown, T> | undefined,
  store: string,
  value: T,
  id?: Id,
): T {
  if (!schema) return value
  const result = run(schema, store, value, 'the written item', id)
  if (result instanceof Promise)
    throw new AtomaError(
      'VALIDATION',
      `collection '${store}': its schema validates asynchronously, which optimistic writes cannot wait for; use a synchronous schema`,
      { store },
    )
  if (result.issues) throw failure(store, 'the written item', result.issues, id)
  return result.value
}

/** Validates items a backend returned; any invalid item fails the whole read (nothing is committed). */
export async function validateItems<T>(
  schema: StandardSchemaV1<unknown, T> | undefined,
  store: string,
  items: readonly unknown[],
): Promise<T[]> {
  if (!schema) return items as T[]
  const out: T[] = []
  for (const item of items) {
    const what = 'an item returned by the backend'
    const result = await Promise.resolve(run(schema, store, item, what)).catch((error: unknown) => {
      throw error instanceof AtomaError ? error : schemaThrew(store, what, error)
    })
    if (result.issues) throw failure(store, 'an item returned by the backend', result.issues)
    out.push(result.value)
  }
  return out
}

/** A schema that throws instead of reporting issues is still a validation failure, named as one. */
function run<T>(
  schema: StandardSchemaV1<unknown, T>,
  store: string,
  value: unknown,
  what: string,
  id?: Id,
): StandardSchemaV1.Result<T> | Promise<StandardSchemaV1.Result<T>> {
  try {
    return schema['~standard'].validate(value)
  } catch (error) {
    throw schemaThrew(store, what, error, id)
  }
}

function schemaThrew(store: string, what: string, error: unknown, id?: Id): AtomaError {
  return new AtomaError(
    'VALIDATION',
    `collection '${store}': its schema threw while validating ${what}${id === undefined ? '' : ` '${id}'`}: ${
      error instanceof Error ? error.message : String(error)
    }`,
    { store, ...(id === undefined ? {} : { id }), cause: error },
  )
}
