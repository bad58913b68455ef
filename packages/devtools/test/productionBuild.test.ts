// @vitest-environment node
import { fileURLToPath } from 'node:url'
import { build, defaultClientConditions, type Rollup } from 'vite'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const MARKER = 'data-atoma-devtools'

/** Bundles a one-line app that imports `specifier`, the way the repo's apps build (`@atoma/source` condition on). */
async function bundle(specifier: string, nodeEnv: 'production' | 'development'): Promise<string> {
  const previous = process.env.NODE_ENV
  // Vite picks the `production` or `development` export condition from NODE_ENV.
  process.env.NODE_ENV = nodeEnv
  try {
    const output = (await build({
      configFile: false,
      root: packageDir,
      logLevel: 'silent',
      mode: nodeEnv,
      resolve: { conditions: ['@atoma/source', ...defaultClientConditions] },
      plugins: [
        {
          name: 'entry',
          resolveId: (id) => (id === 'virtual:app' ? '\0app' : undefined),
          load: (id) =>
            id === '\0app'
              ? `import { DevtoolsPanel, connectReduxDevtools } from '${specifier}'\nexport { DevtoolsPanel, connectReduxDevtools }`
              : undefined,
        },
      ],
      build: {
        write: false,
        minify: false,
        rollupOptions: {
          input: 'virtual:app',
          preserveEntrySignatures: 'exports-only',
          external: (id) => /^react(-dom)?(\/|$)/.test(id),
        },
      },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[]
    const outputs = Array.isArray(output) ? output : [output]
    return outputs
      .flatMap((result) => result.output)
      .map((file) => (file.type === 'chunk' ? file.code : ''))
      .join('\n')
  } finally {
    process.env.NODE_ENV = previous
  }
}

describe('production builds', () => {
  it('get the no-op panel from @atoma/devtools: no panel code at all', async () => {
    const code = await bundle('@atoma/devtools', 'production')
    expect(code).toContain('function DevtoolsPanel')
    expect(code).not.toContain(MARKER)
    expect(code).not.toContain('atoma-dock')
    expect(code).not.toContain('subscribeDevtoolsSnapshot')
    expect(code.length).toBeLessThan(2_000)
  }, 60_000)

  it('get the real panel from @atoma/devtools in development, and from @atoma/devtools/panel always', async () => {
    expect(await bundle('@atoma/devtools', 'development')).toContain(MARKER)
    const shipped = await bundle('@atoma/devtools/panel', 'production')
    expect(shipped).toContain(MARKER)
    expect(shipped).toContain('atoma-dock')
  }, 60_000)
})
