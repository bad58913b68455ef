import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { startApi } from './api.js'

declare module 'vitest' {
  interface ProvidedContext {
    /** A PGlite data directory after initdb and the seed, for test files to copy (see freshDataDir). */
    pgliteTemplate: string
  }
}

// PGlite's initdb takes 5 to 30 seconds depending on the machine, while opening an existing data
// directory takes about one. So it runs once, into a cache keyed by PGlite's version and by what
// the server writes at its first start (the sample data), and every test file starts its server
// on a copy: fresh, seeded data, without paying for initdb again.
export default async function setup(project: TestProject): Promise<void> {
  const cache = fileURLToPath(new URL('../../node_modules/.cache/atoma-playground', import.meta.url))
  const template = join(cache, `pglite-${pgliteVersion()}-${seedHash()}`)
  if (!existsSync(template)) {
    mkdirSync(cache, { recursive: true })
    const building = mkdtempSync(join(cache, 'building-'))
    await (await startApi(building)).close()
    renameSync(building, template)
  }
  project.provide('pgliteTemplate', template)
}

/** The installed PGlite's version (its package.json is not exported, so found next to its entry). */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

/** What the first start writes: the server's files and the sample data. */
function seedHash(): string {
  const hash = createHash('sha256')
  for (const file of [
    '../../server/playgroundServer.js',
    '../../server/collections.js',
    '../../src/data/sampleData.js',
  ])
    hash.update(readFileSync(new URL(file, import.meta.url)))
  return hash.digest('hex').slice(0, 12)
}

/** A temporary copy of the template: a fresh database that opens fast. Remove it when done. */
export function freshDataDir(template: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'atoma-playground-db-'))
  cpSync(template, dir, { recursive: true })
  return dir
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
