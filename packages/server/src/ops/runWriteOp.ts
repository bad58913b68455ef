import type { RemoteEntryResult, RemoteWriteResult } from '@atoma/runtime/protocol'
import type { Collection } from '../collections.js'
import { entryRef, errorInfo } from '../errors.js'
import type { RequestContext } from '../request/requestContext.js'
import { parseWriteEntries } from '../validate/parseWriteEntries.js'
import { applyEntry } from '../writes/applyEntry.js'
import type { OpsContext } from './opsContext.js'

/**
 * Entries run in order, each in its own transaction: a failing entry does not undo the ones
 * confirmed before it, and the op reports `partial`. A database failure rejects only its entry,
 * as retryable; the idempotency key makes the retry safe. Entries left when the request's time
 * is up are rejected unapplied (TIMEOUT, retryable).
 */
export async function runWriteOp(
  opId: string,
  rawEntries: unknown,
  collection: Collection,
  server: OpsContext,
  request: RequestContext,
): Promise<RemoteWriteResult> {
  const writes = parseWriteEntries(rawEntries, collection, server.limits.maxEntriesPerOp)
  const access = await request.access(collection)
  const items: RemoteEntryResult[] = []
  for (const write of writes) {
    if ('rejected' in write) {
      items.push(write.rejected)
      continue
    }
    const { entry } = write
    const ref = entryRef(collection.name, entry.id, entry.entryId)
    if (request.deadline.expired) {
      const error = errorInfo(
        'TIMEOUT',
        `${ref}: the request ran out of time before this entry; it was not applied`,
        true,
      )
      items.push({ entryId: entry.entryId, status: 'rejected', error })
      continue
    }
    if (server.chaos.failsWrite()) {
      const error = errorInfo(
        'TRANSPORT',
        `chaos: injected write failure, entry ${entry.entryId} was not applied`,
        true,
      )
      items.push({ entryId: entry.entryId, status: 'rejected', error })
      continue
    }
    try {
      items.push(await applyEntry({ server, request, collection, access }, entry))
    } catch (error) {
      server.onError(error)
      items.push({
        entryId: entry.entryId,
        status: 'rejected',
        error: errorInfo('TRANSPORT', `internal error while applying entry ${entry.entryId}`, true),
      })
    }
  }
  const confirmed = items.filter((item) => item.status === 'confirmed').length
  const status = confirmed === items.length ? 'confirmed' : confirmed === 0 ? 'rejected' : 'partial'
  return { opId, ok: true, kind: 'write', status, items }
}
