import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  // Generous: the crash and property tests are CPU-bound, the browser test starts Chromium, and CI
  // runs every project at once on 2 cores.
  test: { name: 'journal', environment: 'node', include: ['test/**/*.test.{ts,tsx}'], testTimeout: 120_000 },
})
