#!/usr/bin/env node
// The npm registry this project's machines reach mirrors only the Linux builds of some native
// tools (Biome, turbo). npm then writes a lock file without the other platforms' optional
// packages, and `npm ci` refuses that lock file as "out of sync". This adds the missing
// optional entries with the os/cpu/libc their names state, so npm ci skips them on Linux
// exactly as it would with a complete lock file. Runs after every `npm install` (postinstall).
import { readFileSync, writeFileSync } from 'node:fs'

const file = new URL('../package-lock.json', import.meta.url)
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

let added = 0
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const at = `${path ? `${path}/` : ''}node_modules/${dep}`
    if (packages[at] || packages[`node_modules/${dep}`]) continue
    const platform = platformOf(dep)
    const version = /^\d+\.\d+\.\d+/.exec(range)?.[0]
    if (!platform || !version) continue
    packages[`node_modules/${dep}`] = { version, optional: true, ...platform }
    added++
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  )
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
  console.log(`complete-lockfile: added ${added} optional platform package(s) the registry mirror lacks`)
}
