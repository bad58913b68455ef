import { defineProject } from 'vitest/config'
import { sourceConditions } from '../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  test: { name: 'bench', environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 120_000 },
})
