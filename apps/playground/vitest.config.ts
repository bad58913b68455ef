import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

// End-to-end: each file starts @atoma/server, the playground (Vite) and Chromium. One file at a
// time, after the unit-test projects (groupOrder), so the browser does not compete with them for
// the CPU; timeouts are generous for slow machines.
export default defineProject({
  ...sourceConditions,
  test: {
    name: 'playground',
    environment: 'node',
    include: ['test/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
})
