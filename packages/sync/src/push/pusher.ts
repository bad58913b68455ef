import {
  AtomaError,
  dataProblem,
  type EntryResult,
  type ErrorInfo,
  type ExecutionNode,
  isAtomaError,
  toErrorInfo,
  type WriteEntry,
} from '@atoma/runtime'
import type { Outbox } from '../outbox/outbox.js'
import type { OutboxRecord } from '../outbox/outboxRecord.js'

/**
 * What a CONFLICT does to the write (per collection): `server-wins` rejects it (the runtime lands
 * the server's item); `client-wins` sends it again on the server's current version (its patches
 * re-applied to the server's item, a whole value replacing it); a function merges the client's
 * item and the server's into the value sent again.
 */
export type ConflictPolicy = 'server-wins' | 'client-wins' | ((local: unknown, server: unknown) => unknown)

/** How a push round ended: nothing to do, progress made, or why to wait before the next. */
export type PushOutcome =
  | { kind: 'idle' }
  | { kind: 'pushed' }
  | { kind: 'retry'; error: AtomaError }
  | { kind: 'paused'; error: AtomaError }

export interface PusherOptions {
  outbox: Outbox
  /** The server's ops endpoint (httpNode): batching, statuses and answer checks come with it. */
  node: Required<Pick<ExecutionNode, 'write'>>
  conflicts(store: string): ConflictPolicy
  /** An entry was settled here: tell the other tabs. */
  settled(record: OutboxRecord, result: EntryResult): void
  /** Entries per round (default 100). */
  batchSize?: number
  /** A push request not answered in this long is abandoned and retried (default 20 s). */
  timeoutMs?: number
}

/** A conflict is resolved for the client at most this often per entry; then the server wins. */
const MAX_RESOLUTIONS = 3

/**
 * The push lane: one round sends the outbox's pushable entries (the first waiting entry per id),
 * grouped by store, and settles each by its answer. Retryable failures keep the entry (it goes
 * again after a backoff, with the same idempotency key, so the server applies it once); a
 * definitive rejection settles it rejected; a 401 pauses pushing until the app signs in again.
 * A confirmed entry hands its version to the next entry for the same id, stored, so a reload
 * never sends a base the client itself made stale.
 */
export function createPusher(options: PusherOptions) {
  const { outbox } = options
  const batchSize = options.batchSize ?? 100
  const timeoutMs = options.timeoutMs ?? 20_000
  const resolutions = new Map<number, number>()

  async function round(signal: AbortSignal): Promise<PushOutcome> {
    const batch = outbox.pushable(batchSize)
    if (batch.length === 0) return { kind: 'idle' }
    for (const record of batch) outbox.inFlight.add(record.seq)
    const byStore = new Map<string, OutboxRecord[]>()
    for (const record of batch) byStore.set(record.store, [...(byStore.get(record.store) ?? []), record])
    let retry: AtomaError | undefined
    let paused: AtomaError | undefined
    try {
      await Promise.all(
        [...byStore].map(async ([store, records]) => {
          const outcome = await pushStore(store, records, signal)
          if (outcome?.kind === 'retry') retry ??= outcome.error
          if (outcome?.kind === 'paused') paused ??= outcome.error
        }),
      )
    } finally {
      for (const record of batch) outbox.inFlight.delete(record.seq)
    }
    if (paused) return { kind: 'paused', error: paused }
    if (retry) return { kind: 'retry', error: retry }
    return { kind: 'pushed' }
  }

  async function pushStore(
    store: string,
    records: OutboxRecord[],
    signal: AbortSignal,
  ): Promise<PushOutcome | undefined> {
    let items: EntryResult[]
    // One controller per push, aborted by the runtime's end or the timeout, its listener removed
    // after: a long-lived signal must not collect one listener per push.
    const controller = new AbortController()
    const stop = () => controller.abort(signal.reason)
    signal.addEventListener('abort', stop, { once: true })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    try {
      const output = await options.node.write({
        store,
        entries: records.map((r) => r.entry),
        signal: controller.signal,
      })
      items = output.items
    } catch (thrown) {
      if (signal.aborted) return undefined
      const error = isAtomaError(thrown)
        ? thrown
        : timedOut
          ? new AtomaError('TIMEOUT', `the push to '${store}' was not answered in ${timeoutMs} ms`, {
              cause: thrown,
            })
          : new AtomaError('TRANSPORT', `the push to '${store}' failed: ${String(thrown)}`, { cause: thrown })
      if (error.code === 'UNAUTHENTICATED') return { kind: 'paused', error }
      // A malformed answer may hide an applied write: the same idempotency keys make the resend safe.
      if (error.retryable || error.code === 'TRANSPORT' || error.code === 'TIMEOUT') {
        await Promise.all(records.map((record) => failedAttempt(record, toErrorInfo(error))))
        return { kind: 'retry', error }
      }
      // The server refused the whole op (the store, the request): no entry of it will ever pass.
      const info = toErrorInfo(error)
      await Promise.all(
        records.map((record) =>
          finish(record, { entryId: record.entry.entryId, status: 'rejected', error: info }),
        ),
      )
      return undefined
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', stop)
    }
    // Stopped (the runtime was disposed) while the answer came: it touches the outbox no more. The
    // entries stay there as a crash would leave them, for the next runtime to resend with the same
    // keys, and its copy of them is the only one that changes.
    if (signal.aborted) return undefined
    let outcome: PushOutcome | undefined
    for (const [index, record] of records.entries()) {
      const result = items[index] ?? {
        entryId: record.entry.entryId,
        status: 'rejected',
        error: {
          code: 'TRANSPORT',
          message: 'the server answered no result for this entry',
          retryable: true,
        },
      }
      if (result.status === 'confirmed') {
        await confirmed(record, result)
        continue
      }
      const { error } = result
      if (error.code === 'UNAUTHENTICATED')
        outcome = { kind: 'paused', error: new AtomaError(error.code, error.message) }
      else if (error.retryable) {
        await failedAttempt(record, error)
        outcome ??= { kind: 'retry', error: new AtomaError(error.code, error.message, { retryable: true }) }
      } else if (error.code === 'CONFLICT' && (await resolve(record, error))) outcome ??= { kind: 'pushed' }
      else await finish(record, result)
    }
    return outcome
  }

  async function confirmed(
    record: OutboxRecord,
    result: Extract<EntryResult, { status: 'confirmed' }>,
  ): Promise<void> {
    const next = outbox.nextOf(record)
    if (next && result.version !== undefined && next.entry.op !== 'create') {
      next.entry = { ...next.entry, baseVersion: result.version }
      await outbox.update(next)
    }
    await finish(record, record.resolution ? { ...result, resolution: record.resolution } : result)
  }

  async function finish(record: OutboxRecord, result: EntryResult): Promise<void> {
    resolutions.delete(record.seq)
    await outbox.settle(record, result)
    options.settled(record, result)
  }

  async function failedAttempt(record: OutboxRecord, error: ErrorInfo): Promise<void> {
    record.attempts++
    record.lastError = { code: error.code, message: error.message, retryable: error.retryable }
    await outbox.update(record)
  }

  /** Rewrites the entry per the collection's policy and keeps it; false when the server wins. */
  async function resolve(record: OutboxRecord, error: ErrorInfo): Promise<boolean> {
    const policy = options.conflicts(record.store)
    const done = resolutions.get(record.seq) ?? 0
    if (policy === 'server-wins' || error.current === undefined || done >= MAX_RESOLUTIONS) return false
    const entry = record.entry
    let next: WriteEntry
    if (typeof policy === 'function' && entry.op !== 'delete') {
      let merged: unknown
      try {
        merged = policy(structuredClone(entry.value), structuredClone(error.current))
      } catch (thrown) {
        await finish(record, rejection(record, `the merge function threw: ${String(thrown)}`))
        return true
      }
      const problem =
        typeof merged !== 'object' || merged === null || Array.isArray(merged)
          ? 'it is not an object'
          : dataProblem(merged)
      if (problem) {
        await finish(record, rejection(record, `the merge function's result is refused: ${problem}`))
        return true
      }
      const { patches: _patches, ...rest } = entry
      next = { ...rest, op: 'upsert', value: merged }
      record.resolution = 'merged'
    } else {
      // The client's intent again, on the server's version: patches re-apply to the server's item.
      next = { ...entry, ...(entry.op === 'create' ? { op: 'upsert' as const } : {}) }
      record.resolution = 'client-wins'
    }
    if (error.currentVersion === undefined) delete next.baseVersion
    else next.baseVersion = error.currentVersion
    record.entry = next
    resolutions.set(record.seq, done + 1)
    await outbox.update(record)
    return true
  }

  return { round }
}

function rejection(record: OutboxRecord, message: string): EntryResult {
  return {
    entryId: record.entry.entryId,
    status: 'rejected',
    error: {
      code: 'VALIDATION',
      message: `store '${record.store}', id ${JSON.stringify(record.entry.id)}: ${message}`,
      retryable: false,
    },
  }
}
