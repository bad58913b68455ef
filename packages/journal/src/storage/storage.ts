/**
 * Where a journal keeps its bytes. A journal is a few generations (0, 1, 2…), each an
 * append-only byte log that starts with a header and a checkpoint; compaction writes the next
 * generation beside the current one and then removes the older ones, so no driver needs an atomic
 * rename: the swap happens when the new generation's checkpoint is durable (see the README).
 *
 * Drivers are small on purpose: bytes in, bytes out, and every change durable when it returns (or
 * resolves) — as durable as the medium allows; the README says what each one guarantees. The
 * journal runs every operation inside `lock`, so a driver need not be safe against itself.
 * A synchronous driver (memory, fs, localStorage) lets `openJournal` hydrate synchronously.
 */
export interface SyncStorage {
  readonly mode: 'sync'
  /** For messages: which medium and where ("fs /var/lib/app"). */
  readonly label: string
  /** The generations present, ascending. */
  generations(name: string): number[]
  /** The bytes of a generation from `from` to its end (empty when it ends before, or is absent). */
  read(name: string, generation: number, from: number): Uint8Array
  /**
   * Appends `bytes` if the generation is exactly `at` bytes long (0 for one that does not exist
   * yet, which this creates) and returns true; returns false, writing nothing, otherwise. This is
   * how a writer notices that another one appended since it last looked.
   */
  append(name: string, generation: number, at: number, bytes: Uint8Array): boolean
  /** Cuts a generation to `size` bytes. */
  truncate(name: string, generation: number, size: number): void
  /** Removes a generation (nothing happens if it is absent). */
  remove(name: string, generation: number): void
  /** Runs `body` while no other writer of this journal, in this process or another tab, runs. */
  lock<T>(name: string, body: () => T): T
}

/**
 * `SyncStorage` with promises (IndexedDB, OPFS, a worker's storage): each call means the same and
 * its change is durable when it resolves. A journal on it opens asynchronously.
 */
export interface AsyncStorage {
  readonly mode: 'async'
  /** For messages: which medium and where ("indexeddb atoma-journal"). */
  readonly label: string
  /** The generations present, ascending. */
  generations(name: string): Promise<number[]>
  /** The bytes of a generation from `from` to its end (empty when it ends before, or is absent). */
  read(name: string, generation: number, from: number): Promise<Uint8Array>
  /**
   * Appends `bytes` if the generation is exactly `at` bytes long (0 creates it) and resolves true;
   * resolves false, writing nothing, otherwise.
   */
  append(name: string, generation: number, at: number, bytes: Uint8Array): Promise<boolean>
  /** Cuts a generation to `size` bytes. */
  truncate(name: string, generation: number, size: number): Promise<void>
  /** Removes a generation (nothing happens if it is absent). */
  remove(name: string, generation: number): Promise<void>
  /** Runs `body` while no other writer of this journal, in this process or another tab, runs. */
  lock<T>(name: string, body: () => Promise<T>): Promise<T>
}

/** Any journal driver, synchronous or not; `mode` tells them apart. */
export type JournalStorage = SyncStorage | AsyncStorage

/** Journal names become file names and keys: letters, digits, `.`, `_`, `-`, not starting with `.`. */
export const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/

/** Concatenates byte chunks (drivers that store chunks, and frame writers). */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  let size = 0
  for (const chunk of chunks) size += chunk.length
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}
