import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/**
 * The clients' process code (`clientMain.tsx`), bundled once by esbuild in production mode as an
 * app's bundler would (Atoma from source, React's production build, the automatic JSX runtime),
 * into a temp directory. jsdom, which stands for the browser rather than for the app, stays a
 * package loaded from node_modules.
 */
export async function bundleClient(): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'atoma-bench-sync-'))
  const path = join(dir, 'client.mjs')
  const jsdom = createRequire(import.meta.url).resolve('jsdom')
  await build({
    entryPoints: [fileURLToPath(new URL('./clientMain.tsx', import.meta.url))],
    outfile: path,
    bundle: true,
    format: 'esm',
    platform: 'node',
    jsx: 'automatic',
    conditions: ['@atoma/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // The CommonJS inside (React) requires through this, as Node's own ESM cannot.
    banner: {
      js: `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);`,
    },
    plugins: [
      {
        name: 'jsdom-external',
        setup(b) {
          b.onResolve({ filter: /^jsdom$/ }, () => ({ path: jsdom, external: true }))
        },
      },
    ],
    logLevel: 'silent',
  })
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
