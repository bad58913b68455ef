import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bin, root, run } from '../packaging/support.js'

// `npm run docs` generates the API reference with TypeDoc from the JSDoc of every package's public
// exports (typedoc.json). Here it runs with the same options and no output: its validation fails on
// an export without documentation, a type the API uses but no entry point exports, a broken {@link}.
const typedoc = (options: string[]) =>
  run(bin('typedoc'), [...options, '--emit', 'none'], { cwd: root, timeoutMs: 240_000 })

describe('the API reference (TypeDoc)', () => {
  it('documents every public export, with no broken link', { timeout: 240_000 }, async () => {
    const checked = await typedoc([])
    expect(checked.code, checked.output).toBe(0)
  })

  it('fails on each kind of gap (a fixture with one of each)', { timeout: 120_000 }, async () => {
    const fixture = fileURLToPath(new URL('./fixtures/undocumented/typedoc.json', import.meta.url))
    const checked = await typedoc(['--options', fixture])
    expect(checked.code).not.toBe(0)
    expect(checked.output).toContain(
      'undocumented (CallSignature), defined in docs-fixture/index.ts, does not have any documentation',
    )
    expect(checked.output).toContain(
      'Hidden, defined in docs-fixture/hidden.ts, is referenced by leaks but not included',
    )
    expect(checked.output).toContain('Failed to resolve link to "Nowhere" in comment for documented')
    expect(checked.output).toContain('Found 0 errors and 3 warnings')
  })
})
