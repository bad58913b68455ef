import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a freshly initialized PGlite database ('' when the tests run on PostgreSQL). */
    pgliteTemplate: string
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..')

/**
 * PGlite runs initdb on every in-memory start, which takes seconds. It runs once per PGlite
 * version into node_modules/.cache; every test file then starts its own in-memory database
 * from that dump in well under a second (and migrates it like any server does).
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.ATOMA_TEST_DATABASE_URL) {
    project.provide('pgliteTemplate', '')
    return
  }
  const manifest = join(root, 'node_modules/@electric-sql/pglite/package.json')
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string }
  const file = join(root, 'node_modules/.cache/atoma-server', `pglite-${version}.tar`)
  if (!(await stat(file).catch(() => undefined))) {
    const pglite = await PGlite.create()
    const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer())
    await pglite.close()
    await mkdir(dirname(file), { recursive: true })
    // Written aside and renamed, so a concurrent run never reads half a file.
    const partial = `${file}.${process.pid}`
    await writeFile(partial, dump)
    await rename(partial, file)
  }
  project.provide('pgliteTemplate', file)
}
