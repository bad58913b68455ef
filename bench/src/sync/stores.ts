import { defineCollection } from '@atoma/runtime'
import type { Entity } from '../data.js'

/** A store the server holds `size` entities in before anything is measured (`e0`, `e1`…, as in `data.ts`). */
export interface SeededStore {
  name: string
  size: number
}

/** The store of the latency case: one entity, `e0`, written by client A and shown by client B. */
export const live = defineCollection<Entity>('live', { key: 'id' })
/** The store of the offline case: each run creates its own ids in it. */
export const queued = defineCollection<Entity>('queued', { key: 'id' })
/** The store a first pull of `size` entities reads. */
export const pulledStore = (size: number) => defineCollection<Entity>(`pull${size}`, { key: 'id' })
