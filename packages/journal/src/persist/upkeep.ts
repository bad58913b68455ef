import type { JournalStats } from '../journal/openJournal.js'

/** `next(value)` now for a value, after it for a promise: one code path for both kinds of driver. */
export function after<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value)
}

/** `body()`, with its throw or its rejection handed to `failed` (which must not throw). */
export function guard<R>(
  body: () => R | Promise<R>,
  failed: (error: unknown) => void,
): R | undefined | Promise<R | undefined> {
  try {
    const result = body()
    return result instanceof Promise ? result.catch((error) => void failed(error)) : result
  } catch (error) {
    failed(error)
    return undefined
  }
}

/** The smallest log worth compacting: below it, a checkpoint would save nothing that matters. */
const MIN_TAIL = 64 * 1024

/**
 * When a log is worth compacting: once its commits since the checkpoint outweigh the checkpoint
 * itself. Each compaction writes O(state) and happens after at least O(state) bytes of commits,
 * so it adds at most one byte per byte committed (a commit's cost stays O(change), amortized),
 * and opening never replays more than about twice the checkpoint. After a compaction failed at
 * `failedAt` bytes (a full quota: the next generation is written beside the current one), it is
 * tried again only once the log has doubled since.
 */
export function wantsCompaction(stats: JournalStats, failedAt: number | undefined): boolean {
  if (failedAt !== undefined && stats.bytes < 2 * failedAt) return false
  return stats.bytes - stats.checkpointBytes > Math.max(stats.checkpointBytes, MIN_TAIL)
}
