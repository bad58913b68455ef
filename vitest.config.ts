import { defineConfig } from 'vitest/config'
import { sourceConditions } from './vitest.shared.js'

// One workspace of projects: each package brings its own config (environment, setup),
// the root adds the repository-wide tests (architecture rules, e2e infrastructure).
export default defineConfig({
  test: {
    projects: [
      '{packages/*,apps/*,bench}/vitest.config.ts',
      // The React packages' suites once more against React 18.3 (see vitest.shared.ts).
      'packages/*/vitest.react18.config.ts',
      {
        ...sourceConditions,
        test: {
          name: 'repo',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/packaging/**'],
          testTimeout: 60_000,
        },
      },
      {
        // The packages as npm would publish them, and a fresh install of the repository: each file
        // installs or packs in a temporary folder, after the unit-test projects (groupOrder).
        test: {
          name: 'packaging',
          environment: 'node',
          include: ['test/packaging/*.test.ts'],
          globalSetup: ['test/packaging/globalSetup.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
