// @atoma/journal/persist — the runtime's side of the journal: the `persist` plugin for
// `defineStore` stores, and `journalStorage` for collections on `memoryBackend`. An app that
// imports only the journal core (or only one of these two) pays nothing for the rest.
export { type JournalStorageOptions, journalStorage } from './journalStorage.js'
export { type PersistApi, type PersistedStore, type PersistOptions, persist } from './persist.js'
export type { PersistState, PersistStats, PersistStatus } from './storePersistence.js'
