#!/usr/bin/env node
// Bundle-size report: every public entry of the browser-facing packages, bundled with esbuild
// the way an app would (minified ESM, dependencies included, peer dependencies external),
// then gzipped. Usage: node scripts/size.mjs [--json]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = new URL('..', import.meta.url).pathname
const packages = ['runtime', 'react', 'devtools', 'journal', 'sync']

/** The source file an entry's `@atoma/source` condition names, as a production build resolves it. */
function sourceOf(target) {
  if (typeof target === 'string') return target
  const source = target['@atoma/source'] ?? target.development?.['@atoma/source']
  return typeof source === 'string' ? source : (source.production ?? source.default)
}

const rows = []
for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'))
  const external = Object.keys(pkg.peerDependencies ?? {})
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const entry = join(root, 'packages', dir, sourceOf(target))
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@atoma/source', 'production'],
      define: { 'process.env.NODE_ENV': '"production"' },
      external: [...external, 'node:*'],
      write: false,
      logLevel: 'silent',
    })
    const code = result.outputFiles[0].contents
    rows.push({
      entry: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
      min: code.byteLength,
      gzip: gzipSync(code, { level: 9 }).byteLength,
    })
  }
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2))
} else {
  const kb = (n) => `${(n / 1024).toFixed(2)} kB`
  console.log('| entry | min | min+gzip |\n|---|---:|---:|')
  for (const r of rows) console.log(`| ${r.entry} | ${kb(r.min)} | ${kb(r.gzip)} |`)
}
