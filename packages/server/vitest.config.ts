import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'server',
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Generous: every file starts a real database, and PGlite is CPU-bound WebAssembly.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
