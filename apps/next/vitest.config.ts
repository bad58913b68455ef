import { defineProject } from 'vitest/config'

// End-to-end: builds the app with `next build` when it has no build yet (`npm run build` makes one),
// starts @atoma/server, `next start` and Chromium. After the unit-test projects (groupOrder), so
// the browser does not compete with them for the CPU.
export default defineProject({
  test: {
    name: 'next',
    environment: 'node',
    include: ['test/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
})
