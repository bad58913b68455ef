import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/** An app's production bundle of `@atoma/logic` imports, the runtime left out (the app has it anyway). */
async function bundle(code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    conditions: ['@atoma/source'],
    external: ['@atoma/runtime', 'immer'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.text ?? ''
}

const gzip = (text: string) => gzipSync(text).length

describe('tree-shaking', () => {
  it('an app importing only computed loads no watcher, no link and no source code', async () => {
    const code = await bundle("import { computed } from '@atoma/logic'; console.log(computed)")
    expect(code).toContain('trait-computed')
    // Markers of the watcher code (diagnostics, signals, modes), of link and source ("... into store.field", loading).
    for (const absent of ['logic::', 'AbortController', 'latest', ' into ', 'loading'])
      expect(code).not.toContain(absent)
    // Budgets (min+gzip, deterministic), so growth is a decision, not an accident.
    expect(gzip(code)).toBeLessThan(2_000)
  })

  it('defineLogic alone loads no trait code; everything together stays small', async () => {
    const logic = await bundle("import { defineLogic } from '@atoma/logic'; console.log(defineLogic)")
    for (const absent of ['trait-computed', 'trait-link', 'trait-source']) expect(logic).not.toContain(absent)
    const all = await bundle("import * as logic from '@atoma/logic'; console.log(logic)")
    expect(gzip(logic)).toBeLessThan(4_700)
    expect(gzip(all)).toBeLessThan(7_700)
  })
})
