import { defineCollection } from '@atoma/runtime'
import type { Project, Task } from './model.js'

// Both pages share these definitions; each page's runtime decides where they are stored.
export const projects = defineCollection<Project>('projects', { key: 'id' })
export const tasks = defineCollection<Task>('tasks', { key: 'id' })
