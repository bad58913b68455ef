import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  // Generous: property and model tests are CPU-bound, and CI runs every project at once on 2 cores.
  test: { name: 'runtime', environment: 'node', include: ['test/**/*.test.{ts,tsx}'], testTimeout: 60_000 },
})
