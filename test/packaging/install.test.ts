import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root, run } from './support.js'

// The repository as a fresh clone of what is committed or about to be: the working tree's files
// that git does not ignore, in a new repository of their own, so `git status` there says what an
// install changed.
const clone = mkdtempSync(join(tmpdir(), 'atoma-clone-'))
afterAll(() => rmSync(clone, { recursive: true, force: true }))

const git = (args: string[], cwd = clone) => run('git', args, { cwd, timeoutMs: 60_000 })
const npm = (args: string[]) =>
  run('npm', [...args, '--no-audit', '--no-fund'], { cwd: clone, timeoutMs: 300_000 })

describe('a fresh clone', () => {
  beforeAll(async () => {
    const listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
    if (listed.code !== 0) throw new Error(listed.output)
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(root, file))) continue // deleted in the working tree
      mkdirSync(dirname(join(clone, file)), { recursive: true })
      copyFileSync(join(root, file), join(clone, file))
    }
    for (const step of [
      ['init', '--quiet'],
      ['add', '--all'],
      ['-c', 'user.name=test', '-c', 'user.email=test@127.0.0.1', 'commit', '--quiet', '-m', 'clone'],
    ]) {
      const done = await git(step)
      if (done.code !== 0) throw new Error(done.output)
    }
  })

  it('is left unchanged by npm install (package-lock.json included)', async () => {
    const installed = await npm(['install', '--prefer-offline'])
    expect(installed.code, installed.output).toBe(0)
    const status = await git(['status', '--porcelain'])
    const diff = status.stdout ? (await git(['diff'])).stdout.slice(0, 4_000) : ''
    expect(status.stdout, diff).toBe('')
  })

  it('installs with npm ci: the lock file is complete and in sync', async () => {
    const checked = await npm(['ci', '--dry-run', '--prefer-offline'])
    expect(checked.code, checked.output).toBe(0)
  })
})

describe('scripts/complete-lockfile.mjs', () => {
  it('adds back the platform packages the registry mirror lacks, exactly as npm writes them', async () => {
    const committed = readFileSync(join(root, 'package-lock.json'), 'utf8')
    const lock = JSON.parse(committed) as { packages: Record<string, LockEntry> }
    // What npm leaves out when the registry has no manifest for them: optional platform builds,
    // so without an integrity hash.
    const platformOnly = Object.entries(lock.packages).filter(
      ([, entry]) => entry.optional && !entry.integrity && (entry.os || entry.cpu),
    )
    expect(platformOnly.length).toBeGreaterThan(0)
    for (const [path] of platformOnly) delete lock.packages[path]
    const file = join(mkdtempSync(join(tmpdir(), 'atoma-lock-')), 'package-lock.json')
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)

    const completed = await run(process.execPath, [join(root, 'scripts/complete-lockfile.mjs'), file], {
      cwd: dirname(file),
      timeoutMs: 30_000,
    })
    expect(completed.code, completed.output).toBe(0)
    expect(completed.stdout).toContain(`added ${platformOnly.length} optional platform package(s)`)
    expect(readFileSync(file, 'utf8')).toBe(committed)
    rmSync(dirname(file), { recursive: true, force: true })
  })
})

interface LockEntry {
  optional?: boolean
  integrity?: string
  os?: string[]
  cpu?: string[]
}
