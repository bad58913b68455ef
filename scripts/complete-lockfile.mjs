#!/usr/bin/env node
// The npm registry this project's machines reach mirrors only the Linux builds of some native
// tools (Biome, turbo). npm then writes a lock file without the other platforms' optional
// packages, and `npm ci` refuses that lock file as "out of sync" ("Missing: @biomejs/cli-darwin-arm64
// from lock file"). This adds the missing optional entries with the os/cpu/libc their names
// state, so npm ci skips them on Linux exactly as it would with a complete lock file. Runs after
// every `npm install` (postinstall); `node scripts/complete-lockfile.mjs <file>` completes another
// lock file (the packaging test does).
//
// The file is written exactly as npm itself writes it (its key order and dependency flags): npm
// rewrites any lock file it reads in its own shape, so an entry in another shape would show up as
// a change to package-lock.json after the next `npm install` of a fresh clone.
import { readFileSync, writeFileSync } from 'node:fs'

const file = process.argv[2] ?? new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(file, 'utf8'))
const packages = lock.packages ?? {}

const OS = {
  darwin: 'darwin',
  linux: 'linux',
  win32: 'win32',
  windows: 'win32',
  android: 'android',
  freebsd: 'freebsd',
}
const CPU = { x64: 'x64', 64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32' }

/** `@biomejs/cli-linux-x64-musl` → { os: linux, cpu: x64, libc: musl }; undefined when the name says nothing. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.map((p) => OS[p]).find(Boolean)
  const cpu = parts.map((p) => CPU[p]).find(Boolean)
  if (!os || !cpu) return undefined
  return { os: [os], cpu: [cpu], ...(parts.includes('musl') ? { libc: ['musl'] } : {}) }
}

// Missing entry → the entries that list it as optional. Its dependency flags follow from them the
// way npm computes them (arborist's calc-dep-flags): reached only through optional edges, so
// `optional`; `dev` / `peer` only when every parent is.
const missing = new Map()
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const at = `${path ? `${path}/` : ''}node_modules/${dep}`
    if (packages[at] || packages[`node_modules/${dep}`]) continue
    const platform = platformOf(dep)
    const version = /^\d+\.\d+\.\d+/.exec(range)?.[0]
    if (!platform || !version) continue
    const entry = missing.get(dep) ?? { version, platform, parents: [] }
    entry.parents.push(meta)
    missing.set(dep, entry)
  }
}
for (const [dep, { version, platform, parents }] of missing) {
  packages[`node_modules/${dep}`] = {
    version,
    ...platform,
    ...(parents.every((p) => p.dev) ? { dev: true } : {}),
    ...(parents.every((p) => p.peer) ? { peer: true } : {}),
    optional: true,
  }
}

// npm's lock file serializer (json-stringify-nice with arborist's key order): at every level,
// plain values before objects and arrays count as plain; then these keys in this order, then the
// rest by `localeCompare(…, 'en')`.
const KEY_ORDER = [
  'name',
  'version',
  'lockfileVersion',
  'resolved',
  'integrity',
  'requires',
  'packages',
  'dependencies',
]
const isObject = (value) => !!value && typeof value === 'object' && !Array.isArray(value)
function compareKeys(a, b) {
  const ia = KEY_ORDER.indexOf(a)
  const ib = KEY_ORDER.indexOf(b)
  if (ia !== -1 || ib !== -1) return ia === -1 ? 1 : ib === -1 ? -1 : ia - ib
  return a.localeCompare(b, 'en')
}
function asNpmWrites(_key, value) {
  if (!isObject(value)) return value
  const entries = Object.entries(value).sort(([ak, av], [bk, bv]) =>
    isObject(av) === isObject(bv) ? compareKeys(ak, bk) : isObject(av) ? 1 : -1,
  )
  return Object.fromEntries(entries)
}

if (missing.size > 0) {
  writeFileSync(file, `${JSON.stringify(lock, asNpmWrites, 2)}\n`)
  console.log(
    `complete-lockfile: added ${missing.size} optional platform package(s) the registry mirror lacks`,
  )
}
