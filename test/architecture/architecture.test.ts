import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkArchitecture } from './check.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

describe('architecture (docs/architecture.md §1)', () => {
  it('the repository follows the layering rules', () => {
    expect(checkArchitecture(here('../../'))).toEqual([])
  })

  it('catches every rule broken in the fixture', () => {
    const found = checkArchitecture(here('./fixtures/broken/')).map((v) => [v.rule, v.file, v.specifier])
    expect(found).toEqual(
      expect.arrayContaining([
        ['core-imports-adapter', 'packages/runtime/src/store/leak.ts', '../adapters/http/protocol.js'],
        ['kernel-imports-core', 'packages/runtime/src/execution/knows.ts', '../store/store.js'],
        ['adapter-imports-core', 'packages/runtime/src/adapters/memory/peek.ts', '../../txn/commit.js'],
        ['runtime-imports-framework', 'packages/runtime/src/store/leak.ts', 'react'],
        ['internal-path', 'packages/react/src/bad.ts', '../../runtime/src/store/store.js'],
        ['internal-path', 'packages/react/src/bad.ts', '@atoma/runtime/internal'],
        ['non-public-runtime-path', 'packages/devtools/src/bad.ts', '@atoma/runtime/debug'],
      ]),
    )
    expect(found).toHaveLength(7)
    // The public entry point itself is allowed.
    expect(
      found.some(([, file, spec]) => file === 'packages/devtools/src/bad.ts' && spec === '@atoma/runtime'),
    ).toBe(false)
  })
})
