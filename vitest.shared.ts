import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { mergeConfig, type UserWorkspaceConfig } from 'vitest/config'

// Workspace packages export their TypeScript sources under the `@atoma/source` condition, so
// tests and the typechecker run against src/ without a build step; published consumers get dist/.
// The condition is namespaced: a consumer's tool that sets a plain `source` condition must not
// resolve Atoma to its TypeScript sources (published only so declaration maps lead to them),
// which that consumer's build is not set up to compile.
export const sourceConditions = {
  resolve: { conditions: ['@atoma/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@atoma/source', ...defaultServerConditions] } },
}

const react18 = fileURLToPath(new URL('./test/react18/', import.meta.url))

/**
 * A package's test project once more against React 18.3, installed in test/react18 (its own
 * node_modules: the workspace's React is 19). Named `<name>-react18`.
 */
export function onReact18({ test, ...project }: UserWorkspaceConfig): UserWorkspaceConfig {
  const { setupFiles = [], ...rest } = test ?? {}
  return mergeConfig({ ...project, test: rest }, {
    resolve: {
      alias: [{ find: /^(react|react-dom)(\/.*)?$/, replacement: `${react18}node_modules/$1$2` }],
    },
    test: {
      name: `${test?.name}-react18`,
      // First: the redirect must be in place before a setup file loads Testing Library.
      setupFiles: [`${react18}setup.ts`, ...[setupFiles].flat()],
      // Testing Library imports react-dom: through Vite, so the alias applies to it too.
      server: { deps: { inline: ['@testing-library/react'] } },
      // The type tests ran with the first project; they check types, not a React version.
      typecheck: { enabled: false },
    },
  } satisfies UserWorkspaceConfig)
}
