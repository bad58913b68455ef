import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

// src/gen is committed (so that the package typechecks, tests and publishes without a generation
// step, and a change to the wire shows in review); this is what keeps it honest: buf and
// protoc-gen-es, pinned in package.json and installed from npm, must give exactly those files.
const pkg = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(pkg, '../../node_modules/.bin')
const scratch = mkdtempSync(join(tmpdir(), 'atoma-connect-gen-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const buf = (...args: string[]) =>
  promisify(execFile)(join(bin, 'buf'), args, {
    cwd: pkg,
    // protoc-gen-es is a local plugin: buf finds it on the PATH, as `npm run generate` has it.
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    timeout: 60_000,
  })

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()

describe('the generated code', () => {
  it('is what `buf generate` gives for proto/, byte for byte', async () => {
    await buf('generate', '--output', scratch)
    const generated = join(scratch, 'src/gen')
    const committed = join(pkg, 'src/gen')
    expect(filesUnder(generated)).toEqual(filesUnder(committed))
    for (const file of filesUnder(committed))
      expect(readFileSync(join(generated, file), 'utf8'), file).toBe(
        readFileSync(join(committed, file), 'utf8'),
      )
  })

  it('comes from a schema that passes buf lint (the standard rules)', async () => {
    const { stdout, stderr } = await buf('lint')
    expect(stdout + stderr).toBe('')
  })
})
