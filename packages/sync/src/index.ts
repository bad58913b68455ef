'use client'

// @atoma/sync — the sync orchestrator: a durable outbox, push, pull and pokes (docs/architecture.md §11).
export { type IndexedDbOutboxOptions, indexedDbOutbox } from './outbox/indexedDbOutbox.js'
export { type MemoryOutboxData, memoryOutbox } from './outbox/memoryOutbox.js'
export type { SettledEntry } from './outbox/outbox.js'
export type { OutboxRecord, OutboxStorage } from './outbox/outboxRecord.js'
export type { PokeRequest, PokeSource } from './poke/pokeStream.js'
export type { ConflictPolicy } from './push/pusher.js'
export type { SyncListener, SyncStatus } from './status.js'
export { type SyncApi, type SyncOptions, sync } from './sync.js'
