import type { EntryResult, NodeWriteResult, WriteEntry, WriteExecutionInput } from '../../execution/ports.js'
import { malformedEntry } from './resolveEntry.js'
import { throwIfAborted } from './throwIfAborted.js'

/**
 * Applies a batch entry by entry, in order: each entry is atomic on its own and sees the
 * effect of the entries before it, so one failure rejects that entry only (`partial`).
 * `applyEntry` sees only entries whose id and idempotency key are usable storage keys.
 */
export async function writeBatch(
  backend: string,
  input: WriteExecutionInput,
  applyEntry: (entry: WriteEntry) => EntryResult | Promise<EntryResult>,
): Promise<NodeWriteResult> {
  throwIfAborted(input.signal, `${backend}: the write to store '${input.store}'`)
  const items: EntryResult[] = []
  for (const entry of input.entries)
    items.push(malformedEntry(input.store, entry) ?? (await applyEntry(entry)))
  const confirmed = items.filter((item) => item.status === 'confirmed').length
  const status = confirmed === items.length ? 'confirmed' : confirmed === 0 ? 'rejected' : 'partial'
  return { status, items }
}

/**
 * A replayed idempotency key answers with the first result, under the replaying entry's id,
 * whatever the replaying entry says: a key names one intent, and its retries must not apply twice.
 */
export function replayOf(first: EntryResult, entry: WriteEntry): EntryResult {
  return { ...structuredClone(first), entryId: entry.entryId }
}
