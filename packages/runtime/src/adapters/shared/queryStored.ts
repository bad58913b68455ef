import type { NodeQueryResult } from '../../execution/ports.js'
import { runQuery, validateQuery } from '../../query/evaluate.js'
import type { Id, Query } from '../../query/types.js'
import type { StoredItem } from './resolveEntry.js'
import { throwIfAborted } from './throwIfAborted.js'

/**
 * Answers a query over every stored item of a store with the runtime's own evaluator, so a
 * local backend means exactly what the runtime and the server mean; ties order by the stored
 * id. Without `orderBy`, items come in the order `rows` gives them. Returned items are copies:
 * the caller may mutate them freely.
 */
export function queryStored(
  what: string,
  store: string,
  query: unknown,
  signal: AbortSignal | undefined,
  rows: Iterable<readonly [Id, StoredItem]>,
): NodeQueryResult {
  throwIfAborted(signal, what)
  const valid: Query = validateQuery(query, store)
  // Stored values are distinct objects (resolveEntry admits objects only), so each one
  // identifies its row and the evaluator can run over the values themselves.
  const rowOf = new Map<Record<string, unknown>, readonly [Id, StoredItem]>()
  for (const row of rows) rowOf.set(row[1].value as Record<string, unknown>, row)
  const items: unknown[] = []
  const versions = new Map<Id, number>()
  for (const value of runQuery(rowOf.keys(), valid, (item) => rowOf.get(item)![0])) {
    const [id, { version }] = rowOf.get(value)!
    items.push(structuredClone(value))
    versions.set(id, version)
  }
  return { items, versions }
}
