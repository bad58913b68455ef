import type { NodeQueryResult } from '../../execution/ports.js'
import { encodeCursor, runQuery, validateQuery } from '../../query/evaluate.js'
import type { Id, Query } from '../../query/types.js'
import type { StoredItem } from './resolveEntry.js'
import { throwIfAborted } from './throwIfAborted.js'

/**
 * Answers a query over every stored item of a store with the runtime's own evaluator, so a
 * local backend means exactly what the runtime and the server mean; ties order by the stored
 * id. Unpaged and without `orderBy`, items come in the order `rows` gives them. A page with more
 * items after it answers the cursor of the gap after its last item (the next page's `after`).
 * Returned items are copies: the caller may mutate them freely.
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
  const keyOf = (item: Record<string, unknown>) => rowOf.get(item)![0]
  // One more than asked says whether another page follows.
  const found = runQuery(
    rowOf.keys(),
    valid.limit === undefined ? valid : { ...valid, limit: valid.limit + 1 },
    keyOf,
  )
  const more = valid.limit !== undefined && found.length > valid.limit
  if (more) found.length = valid.limit as number
  const items: unknown[] = []
  const versions = new Map<Id, number>()
  for (const value of found) {
    const [id, { version }] = rowOf.get(value)!
    items.push(structuredClone(value))
    versions.set(id, version)
  }
  const last = found.at(-1)
  if (!more || last === undefined) return { items, versions }
  return { items, versions, cursor: encodeCursor(store, valid, last, keyOf, 'after') }
}
