import { defaultClientConditions, defaultServerConditions } from 'vite'

// Workspace packages export their TypeScript sources under the `source` condition, so tests
// and the typechecker run against src/ without a build step; published consumers get dist/.
export const sourceConditions = {
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
}
