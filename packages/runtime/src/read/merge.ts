/**
 * What a query result does to local items it does not contain (docs/architecture.md §5):
 * - `replace`: the result is the truth for the query: local confirmed items the same query would
 *   return (its `where`, and its window when it has `limit`/`offset`) but the server did not are removed;
 * - `preserve-missing`: like `replace`, but only items the server is known to have had (they have a
 *   version) are removed — items that exist only locally are kept;
 * - `upsert-only`: returned items are inserted or updated; nothing is removed.
 * Pending writes are never removed by any policy: they are re-applied on top of the result.
 */
export type MergePolicy = 'replace' | 'upsert-only' | 'preserve-missing'

export const MERGE_POLICIES: readonly MergePolicy[] = ['replace', 'upsert-only', 'preserve-missing']
