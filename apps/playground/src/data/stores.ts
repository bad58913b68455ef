import { defineStore } from '@atoma/runtime'
import type { Priority } from './model.js'

export type SortKey = 'priority' | 'newest' | 'title'

export interface BoardState {
  projectId: string | null
  /** `null` shows everyone's tasks; '' only the unassigned ones. */
  assignee: string | null
  minPriority: Priority
  search: string
  sort: SortKey
}

export type BoardFilter = Omit<BoardState, 'projectId'>

/** The filter part of the board state, for `useStore(board, selectFilter, shallow)`. */
export const selectFilter = ({ assignee, minPriority, search, sort }: BoardState): BoardFilter => ({
  assignee,
  minPriority,
  search,
  sort,
})

/** What the board shows: UI state, kept in the runtime so devtools record and replay it too. */
export const board = defineStore('board', {
  initial: { projectId: null, assignee: null, minPriority: 1, search: '', sort: 'priority' } as BoardState,
  actions: {
    selectProject: (draft, projectId: string) => {
      draft.projectId = projectId
    },
    filterAssignee: (draft, assignee: string | null) => {
      draft.assignee = assignee
    },
    filterPriority: (draft, minPriority: Priority) => {
      draft.minPriority = minPriority
    },
    search: (draft, text: string) => {
      draft.search = text
    },
    sortBy: (draft, sort: SortKey) => {
      draft.sort = sort
    },
  },
})

export interface Notice {
  id: number
  /** What the user tried, e.g. `Could not add “Call the printer”`. */
  title: string
  /** Why: the write's error, as the runtime worded it. */
  detail: string
}

export interface ActivityState {
  /** Entity id → writes to it not yet confirmed or rolled back (the runtime counts per collection only). */
  saving: Record<string, number>
  notices: Notice[]
  nextNoticeId: number
}

const MAX_NOTICES = 3

/** Writes in flight and the errors of those that failed. */
export const activity = defineStore('activity', {
  initial: { saving: {}, notices: [], nextNoticeId: 1 } as ActivityState,
  actions: {
    began: (draft, id: string) => {
      draft.saving[id] = (draft.saving[id] ?? 0) + 1
    },
    settled: (draft, id: string) => {
      const left = (draft.saving[id] ?? 1) - 1
      if (left > 0) draft.saving[id] = left
      else delete draft.saving[id]
    },
    failed: (draft, notice: Omit<Notice, 'id'>) => {
      draft.notices.push({ id: draft.nextNoticeId++, ...notice })
      draft.notices.splice(0, Math.max(0, draft.notices.length - MAX_NOTICES))
    },
    dismiss: (draft, id: number) => {
      draft.notices = draft.notices.filter((notice) => notice.id !== id)
    },
  },
})
