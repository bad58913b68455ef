export type Status = 'todo' | 'doing' | 'done'
/** 1 low, 2 medium, 3 high: a number so the server can sort and filter by it. */
export type Priority = 1 | 2 | 3

export interface Project {
  id: string
  name: string
  /** The ids of the users who see and change it (and its tasks): the server's rules read this. */
  members: string[]
  createdAt: number
}

export interface Task {
  id: string
  projectId: string
  title: string
  status: Status
  /** A team member's name, or '' when nobody has it yet. */
  assignee: string
  priority: Priority
  createdAt: number
}

/** A team member's profile, keyed by the name tasks are assigned to. */
export interface Profile {
  id: string
  fullName: string
  role: string
}

export const STATUSES: readonly { id: Status; label: string }[] = [
  { id: 'todo', label: 'To do' },
  { id: 'doing', label: 'Doing' },
  { id: 'done', label: 'Done' },
]

export const PRIORITIES: readonly { id: Priority; label: string }[] = [
  { id: 3, label: 'High' },
  { id: 2, label: 'Medium' },
  { id: 1, label: 'Low' },
]

export const TEAM = ['Ada', 'Grace', 'Linus', 'Margaret'] as const

export function priorityLabel(priority: Priority): string {
  return PRIORITIES.find((p) => p.id === priority)?.label ?? String(priority)
}

/** Ids are made on the client, so a created task is complete (and linkable) before the server answers. */
export function newId(): string {
  return crypto.randomUUID()
}
