import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  // Generous: the model test runs a real server and database, and CI runs every project at once on 2 cores.
  test: {
    name: 'sync',
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
