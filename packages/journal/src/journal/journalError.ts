/**
 * Every error the journal raises, shaped like the runtime's `AtomaError` (`code`, a message that
 * names the journal and the offset) so callers switch on `code` without parsing messages. The
 * journal depends on no other Atoma package, so it has its own class.
 */
export type JournalErrorCode =
  /** A record whose checksum is fine carries a kind this version cannot decode (a newer writer). */
  | 'JOURNAL_UNKNOWN_KIND'
  /** A record is not of the kind its place in the log requires (`expected`, `actual`). */
  | 'JOURNAL_KIND_MISMATCH'
  /** A record whose checksum is fine does not decode, or its patches do not apply. */
  | 'JOURNAL_INVALID_RECORD'
  /** A value the journal cannot store (a function, a class instance, a cycle…), named by its path. */
  | 'JOURNAL_UNSUPPORTED_VALUE'
  /** Writing into a journal whose log is damaged: `recover()` first. */
  | 'JOURNAL_DAMAGED'
  /** The storage failed (quota, I/O); `cause` holds what it threw. */
  | 'JOURNAL_STORAGE'
  | 'JOURNAL_CLOSED'
  | 'JOURNAL_INVALID_ARGUMENT'

/** What a `JournalError` carries besides its code and message; each field is set only when known. */
export interface JournalErrorOptions {
  /** The journal's name. */
  journal?: string
  generation?: number
  /** Byte offset of the record concerned in its generation. */
  offset?: number
  /** For `JOURNAL_KIND_MISMATCH`: what the log's grammar requires there, and what was found. */
  expected?: string
  actual?: string
  cause?: unknown
}

/**
 * The error every part of the journal reports: a `code`, a message naming the journal and the
 * offset, and where it happened (`journal`, `generation`, `offset`).
 */
export class JournalError extends Error {
  override readonly name = 'JournalError'
  readonly code: JournalErrorCode
  readonly journal?: string
  readonly generation?: number
  readonly offset?: number
  readonly expected?: string
  readonly actual?: string

  constructor(code: JournalErrorCode, message: string, options: JournalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    if (options.journal !== undefined) this.journal = options.journal
    if (options.generation !== undefined) this.generation = options.generation
    if (options.offset !== undefined) this.offset = options.offset
    if (options.expected !== undefined) this.expected = options.expected
    if (options.actual !== undefined) this.actual = options.actual
  }
}
