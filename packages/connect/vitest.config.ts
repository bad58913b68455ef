import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  // Generous: the suites run real Connect servers, and CI runs every project at once on 2 cores.
  test: { name: 'connect', environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
})
