import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import type { Probes } from './probes/index.js'

const execFileAsync = promisify(execFile)

/** Runs one probe (see `probes/index.ts`) in a Node process of its own and returns its result. */
export type RunProbe = <K extends keyof Probes>(
  name: K,
  args: Parameters<Probes[K]>[0],
) => Promise<Awaited<ReturnType<Probes[K]>>>

/**
 * Gives `work` a way to run probes, each in a fresh Node process (`--expose-gc`): a contender's
 * heap, garbage and JIT state are its own, as in an app that uses one library. Measured in one
 * shared process, a copying library's 100,000-entity garbage was collected during the next
 * contender's turn and moved its numbers by 2×.
 *
 * The probes are bundled once by esbuild in production mode, peers and Atoma alike, so each
 * process starts in milliseconds and runs what a user's bundler would produce (`tsx`, which runs
 * the TypeScript sources elsewhere in `bench/`, names every closure at run time).
 */
export async function withProbes<T>(work: (run: RunProbe) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'atoma-bench-'))
  try {
    const bundle = join(dir, 'probe.mjs')
    await build({
      entryPoints: [fileURLToPath(new URL('./probes/main.ts', import.meta.url))],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'node',
      conditions: ['@atoma/source'],
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    })
    const run: RunProbe = async (name, args) => {
      const argv = ['--expose-gc', bundle, name, JSON.stringify(args)]
      const { stdout } = await execFileAsync(process.execPath, argv, { maxBuffer: 1 << 20 })
      return JSON.parse(stdout)
    }
    return await work(run)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
