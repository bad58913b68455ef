import { defineCollection, type Query } from '@atoma/runtime'

// Shared by the server component (prefetch) and the client island (useQuery): the same definition
// and the same query, so the client finds the server's result in its cache.
export interface Task {
  id: string
  title: string
  done: boolean
  createdAt: number
}

export const tasks = defineCollection<Task>('tasks', { key: 'id' })

/** The list the page shows: oldest first. */
export const taskList: Query<Task> = { orderBy: [['createdAt', 'asc']] }

/** How long a fetched list is fresh: the hydrated list is not fetched again within it. */
export const STALE_MS = 60_000
