// The sample data: what a first start of the server writes (server/playgroundServer.js) and what
// the offline board starts with. A project of each user's own and one they share, so that signing in
// as the other shows what the rules hide. Plain JavaScript: the server reads it too.

/** The team's profiles, by the name tasks are assigned to. */
export const PROFILES = [
  { id: 'Ada', fullName: 'Ada Lovelace', role: 'Analyst' },
  { id: 'Grace', fullName: 'Grace Hopper', role: 'Compiler engineer' },
  { id: 'Linus', fullName: 'Linus Torvalds', role: 'Kernel maintainer' },
  { id: 'Margaret', fullName: 'Margaret Hamilton', role: 'Flight software lead' },
]

/** @typedef {[title: string, status: 'todo' | 'doing' | 'done', assignee: string, priority: 1 | 2 | 3]} SeedTask */

/** @type {readonly { name: string, members: string[], tasks: readonly SeedTask[] }[]} */
export const SEED = [
  {
    name: 'Website relaunch',
    members: ['ada'],
    tasks: [
      ['Write the launch announcement', 'todo', 'Ada', 3],
      ['Pick a color palette', 'todo', '', 1],
      ['Move the blog to the new domain', 'todo', 'Linus', 2],
      ['Build the pricing page', 'doing', 'Grace', 3],
      ['Set up redirects from old URLs', 'doing', 'Margaret', 2],
      ['Choose a web font', 'done', 'Ada', 1],
      ['Sketch the home page', 'done', 'Grace', 2],
    ],
  },
  {
    name: 'Mobile app',
    members: ['grace'],
    tasks: [
      ['Offline mode for the reader', 'todo', 'Linus', 3],
      ['Dark theme', 'todo', 'Margaret', 1],
      ['Push notifications', 'doing', 'Grace', 2],
      ['App store screenshots', 'done', 'Grace', 2],
    ],
  },
  {
    name: 'Team offsite',
    members: ['ada', 'grace'],
    tasks: [
      ['Book the venue', 'todo', 'Grace', 3],
      ['Plan the agenda', 'doing', 'Ada', 2],
      ['Send the invitations', 'todo', '', 2],
      ['Collect dietary needs', 'done', 'Margaret', 1],
    ],
  },
]
