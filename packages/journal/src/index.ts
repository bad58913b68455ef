// @atoma/journal — a durable, append-only journal of checksummed records. Drivers live in their
// own subpaths (@atoma/journal/memory, /fs, /web-storage, /indexeddb, /opfs, /remote), so an app
// bundles only the one it imports.

export { JournalError, type JournalErrorCode, type JournalErrorOptions } from './journal/journalError.js'
export {
  type ExternalCommit,
  type Io,
  type Journal,
  type JournalDiagnostic,
  type JournalEvent,
  type JournalOptions,
  type JournalStats,
  openJournal,
  type Recovery,
} from './journal/openJournal.js'
export type { Patch } from './patch/patch.js'
export { KINDS, type Kind } from './record/records.js'
export type { AsyncStorage, JournalStorage, SyncStorage } from './storage/storage.js'
