import type { Query, Where } from '@atoma/runtime'
import type { Project, Status, Task } from './model.js'
import type { BoardFilter, SortKey } from './stores.js'

const ORDER: Record<SortKey, Query<Task>['orderBy']> = {
  priority: [
    ['priority', 'desc'],
    ['createdAt', 'asc'],
  ],
  newest: [['createdAt', 'desc']],
  title: [['title', 'asc']],
}

/**
 * One board column as a query: the same object filters and sorts on the server (SQL) and over the
 * local store, which is how an optimistic write shows in the right column, in the right place, at once.
 */
export function columnQuery(projectId: string, status: Status, filter: BoardFilter): Query<Task> {
  const where: Where<Task> = { projectId, status }
  if (filter.assignee !== null) where.assignee = filter.assignee
  if (filter.minPriority > 1) where.priority = { gte: filter.minPriority }
  const search = filter.search.trim()
  // Case-insensitive (ASCII letters), with the same rule on the server (SQL) and in the store.
  if (search !== '') where.title = { containsi: search }
  return { where, orderBy: ORDER[filter.sort] }
}

export const projectsQuery: Query<Project> = { orderBy: [['createdAt', 'asc']] }
