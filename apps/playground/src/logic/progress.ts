import { computed, link } from '@atoma/logic'
import { defineStore } from '@atoma/runtime'
import { tasks } from '../data/collections.js'
import type { Status } from '../data/model.js'

/** Done and total tasks of one project, as far as this runtime holds its tasks. */
export interface Progress {
  done: number
  total: number
}

export interface ProgressState {
  /** Each task's project and status, following the tasks collection (a `link`). */
  statuses: readonly (readonly [projectId: string, status: Status])[]
  /** Per project id, recomputed in the same commit as `statuses` (a `computed`). */
  byProject: Readonly<Record<string, Progress>>
}

const sameStatuses = (a: ProgressState['statuses'], b: ProgressState['statuses']) =>
  a.length === b.length && a.every(([project, status], i) => b[i]?.[0] === project && b[i]?.[1] === status)

/**
 * The project list's progress (done/total per project): traits of @atoma/logic, so the numbers
 * are state the runtime keeps itself, recorded and time-travelled like the rest. A change of a
 * task's title leaves `statuses` equal, and nothing recomputes.
 */
export const progress = defineStore('progress', {
  initial: { statuses: [], byProject: {} } as ProgressState,
  actions: {},
  traits: {
    statuses: link(tasks, (map) => [...map.values()].map((task) => [task.projectId, task.status] as const), {
      isEqual: sameStatuses,
    }),
    byProject: computed(['statuses'], (state: ProgressState) => {
      const byProject: Record<string, Progress> = {}
      for (const [projectId, status] of state.statuses) {
        const counts = byProject[projectId] ?? { done: 0, total: 0 }
        byProject[projectId] = { done: counts.done + (status === 'done' ? 1 : 0), total: counts.total + 1 }
      }
      return byProject
    }),
  },
})
