import { defineStore } from '@atoma/runtime'
import type { Priority, Task } from './model.js'

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

/** What a notice offers besides dismissing it; data, so devtools show and replay it like the rest. */
export type NoticeAction =
  /** Puts a deleted task back (a create with the same id: the server revives it). */
  | { kind: 'undo-delete'; task: Task }
  /** Opens the sign-in picker for the user whose session ended. */
  | { kind: 'sign-in' }

export interface Notice {
  id: number
  tone: 'error' | 'info'
  /** What happened, e.g. `Could not add “Call the printer”`. */
  title: string
  /** Why: the error as the runtime or the server worded it. */
  detail?: string
  action?: NoticeAction
  /** Stays until acted on (a sign-in notice); the others go away on their own. */
  sticky?: boolean
}

export interface NoticesState {
  list: Notice[]
  nextId: number
}

/** Notices beyond this many push the oldest out: the stack stays small. */
const MAX_NOTICES = 4

/**
 * The notices in the corner: rejected writes (rolled back by then), deletes to undo, a session
 * that ended. A sticky notice with the same action replaces the one before it.
 */
export const notices = defineStore('notices', {
  initial: { list: [], nextId: 1 } as NoticesState,
  actions: {
    show: (draft, notice: Omit<Notice, 'id'>) => {
      if (notice.sticky)
        draft.list = draft.list.filter((n) => !(n.sticky && n.action?.kind === notice.action?.kind))
      draft.list.push({ id: draft.nextId++, ...notice })
      draft.list.splice(0, Math.max(0, draft.list.length - MAX_NOTICES))
    },
    dismiss: (draft, id: number) => {
      draft.list = draft.list.filter((notice) => notice.id !== id)
    },
    /** Every notice offering this action (the sign-in notices once signed in again). */
    settle: (draft, kind: NoticeAction['kind']) => {
      draft.list = draft.list.filter((notice) => notice.action?.kind !== kind)
    },
  },
})
