// The playground's collections as @atoma/server serves them: the fields queries may use and who
// reads and writes what. In code rather than in a JSON config because the task rule reads another
// collection (a task belongs to whoever is a member of its project).

/** @import { CollectionConfig, Principal } from '@atoma/server' */

/** A project is visible to its members, and only a member may change it (the read rule plays the write rule). */
const projectRule = {
  /** @param {Principal} principal */
  read: (principal) => ({ members: { contains: principal.id } }),
}

/**
 * A task is visible to the members of its project. Writes are checked against the project as
 * it is inside the entry's transaction, not against the request's read rule: a push that
 * creates a project and then its first task finds the project there.
 */
const taskRule = {
  /**
   * @param {Principal} principal
   * @param {import('@atoma/server').RuleContext} ctx
   */
  read: async (principal, ctx) => {
    const mine = await ctx.find('projects', { members: { contains: principal.id } })
    return { projectId: { in: mine.map((project) => String(project.id)) } }
  },
  /**
   * Both the task as stored and as the entry leaves it must be in a project of the writer's:
   * nobody moves a task into, or out of, a project they are not a member of.
   * @param {Principal} principal
   * @param {import('@atoma/server').WriteCheck} check
   * @param {import('@atoma/server').RuleContext} ctx
   */
  write: async (principal, { current, next }, ctx) => {
    for (const task of [current, next]) {
      if (task === null) continue
      const project = await ctx.get('projects', String(task.projectId))
      const members = project?.members
      if (!Array.isArray(members) || !members.includes(principal.id))
        return `${principal.id} is not a member of the task's project`
    }
    return true
  },
}

/** Everyone signed in reads the team's profiles; a profile is written once (the seed), never changed. */
const profileRule = {
  read: true,
  /** @param {Principal} _principal @param {import('@atoma/server').WriteCheck} check */
  write: (_principal, { current }) => current === null || 'profiles are read only',
}

/** @type {CollectionConfig[]} */
export const collections = [
  {
    name: 'projects',
    key: 'id',
    fields: { name: 'text', createdAt: 'number', members: 'array' },
    authorize: projectRule,
  },
  {
    name: 'tasks',
    key: 'id',
    fields: {
      projectId: 'text',
      title: 'text',
      status: 'text',
      assignee: 'text',
      priority: 'number',
      createdAt: 'number',
    },
    authorize: taskRule,
  },
  {
    name: 'profiles',
    key: 'id',
    fields: { fullName: 'text', role: 'text' },
    authorize: profileRule,
  },
]
