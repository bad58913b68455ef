// Plain JavaScript: the start script's server (Node, no TypeScript) reads it as well as the app.

/**
 * The playground's users: whom the sign-in picker offers and the server mints tokens for. An id
 * is a token's `sub`, so it is what projects list in `members` and what the read rules compare.
 * @type {readonly { id: string, name: string }[]}
 */
export const USERS = Object.freeze([
  { id: 'ada', name: 'Ada' },
  { id: 'grace', name: 'Grace' },
])
