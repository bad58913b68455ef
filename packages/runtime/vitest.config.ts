import { defineProject } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared.js'

export default defineProject({
  ...sourceConditions,
  test: { name: 'runtime', environment: 'node', include: ['test/**/*.test.{ts,tsx}'] },
})
