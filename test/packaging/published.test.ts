import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, manifest, PUBLISHED, type Published, pack, root, run } from './support.js'

// What `npm publish` would upload, checked as a consumer gets it: each package is packed once and
// the tarball is linted (publint, Are the Types Wrong) and unpacked for the checks below.
const scratch = mkdtempSync(join(tmpdir(), 'atoma-published-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The packages whose entries are client modules under React Server Components. */
const CLIENT: readonly Published[] = ['react', 'devtools', 'sync']
/** Their entries a server component imports (prefetch, dehydrate): no 'use client'. */
const SERVER_ENTRIES: Partial<Record<Published, readonly string[]>> = { react: ['./dist/server.js'] }

describe.each(PUBLISHED)('@atoma/%s as published', (name) => {
  let tarball: string
  let unpacked: string

  beforeAll(async () => {
    tarball = await pack(name, join(scratch, name))
    const untar = await run('tar', ['-xzf', tarball, '-C', join(scratch, name)], {
      cwd: scratch,
      timeoutMs: 30_000,
    })
    if (untar.code !== 0) throw new Error(untar.output)
    unpacked = join(scratch, name, 'package')
  })

  it('passes publint --strict', async () => {
    const linted = await run(bin('publint'), ['run', '--strict', tarball], {
      cwd: scratch,
      timeoutMs: 60_000,
    })
    expect(linted.code, linted.output).toBe(0)
  })

  it('passes Are the Types Wrong (esm-only profile)', async () => {
    const checked = await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], {
      cwd: scratch,
      timeoutMs: 60_000,
    })
    expect(checked.code, checked.output).toBe(0)
  })

  it('ships a README and the MIT LICENSE', () => {
    expect(readFileSync(join(unpacked, 'README.md'), 'utf8')).toMatch(/^# @atoma\//)
    expect(readFileSync(join(unpacked, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
  })

  it('has source maps with their sources inlined, and declaration maps whose sources are in the package', () => {
    const maps = filesUnder(join(unpacked, 'dist')).filter((file) => file.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(0)
    const problems: string[] = []
    for (const file of maps) {
      const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: unknown[] }
      const where = relative(unpacked, file)
      for (const source of map.sources) {
        const path = resolve(dirname(file), source)
        if (!existsSync(path)) problems.push(`${where}: ${source} is not in the package`)
      }
      if (file.endsWith('.js.map')) {
        const content = map.sourcesContent ?? []
        if (content.length !== map.sources.length || content.some((text) => typeof text !== 'string'))
          problems.push(`${where}: no sourcesContent`)
      }
    }
    expect(problems).toEqual([])
  })

  it(`marks its JavaScript entries as client modules only if it is ${CLIENT.join(' or ')} (or the journal's React entry), server subpaths aside`, () => {
    const entries = entryFiles(manifest(unpacked).exports)
    expect(entries.length).toBeGreaterThan(0)
    const marked = entries.map((entry) => [entry, directives(readFileSync(join(unpacked, entry), 'utf8'))])
    // A package is a client package whole (but its server subpaths), or (the journal) only its React entry is client code.
    const client = (entry: string) =>
      (CLIENT.includes(name) && !SERVER_ENTRIES[name]?.includes(entry)) ||
      (name === 'journal' && entry.includes('/react/'))
    expect(marked).toEqual(entries.map((entry) => [entry, client(entry) ? ['use client'] : []]))
    for (const entry of SERVER_ENTRIES[name] ?? []) expect(entries).toContain(entry)
  })

  it('declares a bin only if it is the server, and Node runs it', async () => {
    const bins = Object.entries(manifest(unpacked).bin ?? {})
    expect(bins.map(([command]) => command)).toEqual(name === 'server' ? ['atoma-server'] : [])
    for (const [, file] of bins) {
      expect(readFileSync(join(unpacked, file), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
      // The workspace's copy of the same built file: the tarball's has no node_modules beside it.
      const help = await run(process.execPath, [join(root, 'packages', name, file), '--help'], {
        cwd: scratch,
        timeoutMs: 30_000,
      })
      expect(help.code, help.output).toBe(0)
      expect(help.stdout).toMatch(/^Usage: atoma-server --config/)
    }
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/**
 * The JavaScript files an `exports` map sends a consumer to: every target except `types` and the
 * repository's own `@atoma/source` condition.
 */
function entryFiles(exports: unknown, condition = ''): string[] {
  if (typeof exports === 'string')
    return condition === 'types' || condition === '@atoma/source' ? [] : [exports]
  if (!exports || typeof exports !== 'object') return []
  const found = Object.entries(exports).flatMap(([key, value]) => entryFiles(value, key))
  return [...new Set(found)].sort()
}

/** The directive prologue of a module: its leading string-literal statements ('use client', …). */
function directives(code: string): string[] {
  const found: string[] = []
  const prologue = /^(?:\s+|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(['"])([^'"\n]*)\1;?/
  let rest = code.replace(/^#![^\n]*/, '')
  for (let match = prologue.exec(rest); match; match = prologue.exec(rest)) {
    found.push(match[2]!)
    rest = rest.slice(match[0].length)
  }
  return found
}
