import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'logic',
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    // Generous: the property test is CPU-bound, and CI runs every project at once on 2 cores.
    testTimeout: 60_000,
    // Type tests (`*.test-d.ts`) run through tsc with the package's own tsconfig.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
  },
})
