import { defineCollection } from '@atoma/runtime'
import type { Profile, Project, Task } from './model.js'

// Both pages share these definitions; each page's runtime decides where they are stored.
export const projects = defineCollection<Project>('projects', { key: 'id' })
export const tasks = defineCollection<Task>('tasks', { key: 'id' })
/** Read only: the team's profiles, which the task editor shows for the assignee (a `source` trait). */
export const profiles = defineCollection<Profile>('profiles', { key: 'id' })
