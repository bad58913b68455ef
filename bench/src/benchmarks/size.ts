import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import type { Benchmark, Sample } from '../harness.js'

const peers = fileURLToPath(new URL('../peers/', import.meta.url))

/** kB of `entry` bundled as an app would ship it: minified ESM, production, React external. */
async function bundle(entry: string): Promise<{ min: number; gzip: number }> {
  const result = await build({
    entryPoints: [`${peers}${entry}`],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    // `@atoma/source`: Atoma's packages as the other benchmarks use them; no peer has this condition.
    conditions: ['@atoma/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // React is every app's and shipped once whatever the library, so it is left out of all.
    external: ['react', 'react-dom', 'react/*', 'react-dom/*'],
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]!.contents
  return { min: code.byteLength / 1024, gzip: gzipSync(code, { level: 9 }).byteLength / 1024 }
}

const libraries = [
  ['atoma', 'atoma/size.ts'],
  ['zustand', 'zustand/size.ts'],
  ['redux toolkit + react-redux', 'redux/size.ts'],
  ['jotai', 'jotai/size.ts'],
  ['valtio', 'valtio/size.ts'],
] as const

/**
 * Bytes a minimal app pays for each library (`peers/<lib>/size.ts`: what its docs' first app
 * imports, React bindings included), bundled the same way with esbuild. The devtools are measured
 * as what they add to the Atoma app: the real panel, and the production no-op. Sizes are
 * deterministic, so each is measured once.
 */
export const size: Benchmark = {
  name: 'size',
  description: 'min and min+gzip of a minimal app import, React external (kB)',
  async run() {
    const samples: Sample[] = []
    const sizes = new Map<string, { min: number; gzip: number }>()
    for (const [contender, entry] of libraries) sizes.set(contender, await bundle(entry))
    for (const key of ['gzip', 'min'] as const) {
      for (const [contender, bytes] of sizes) {
        samples.push({
          contender,
          label: key === 'gzip' ? 'min+gzip' : 'min',
          unit: 'kB',
          values: [bytes[key]],
        })
      }
    }
    const app = sizes.get('atoma')!
    for (const [contender, entry] of [
      ['atoma devtools panel', 'atoma/sizeDevtools.ts'],
      ['atoma devtools, production no-op', 'atoma/sizeDevtoolsNoop.ts'],
    ] as const) {
      const withDevtools = await bundle(entry)
      samples.push({
        contender,
        label: 'added to the atoma app, min+gzip',
        unit: 'kB',
        values: [withDevtools.gzip - app.gzip],
      })
    }
    return samples
  },
}
