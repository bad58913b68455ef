import { fileURLToPath } from 'node:url'

/** @type {import('next').NextConfig} */
export default {
  // The monorepo's root: its node_modules hold the workspace packages.
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
  // Node-only (PGlite's WebAssembly, node:http): loaded as they are, not bundled.
  serverExternalPackages: ['@atoma/server', '@electric-sql/pglite'],
}
