import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { type Benchmark, pool, type Sample, type Scale } from '../harness.js'
import { collectionContenders } from '../peers/index.js'

const run = promisify(execFile)

/** MB in use once the collection is built, and after the transactions (see memory/child.ts). */
interface Heap {
  built: number
  after: number
}

/**
 * Heap after transactions on a large collection: each contender's collection store
 * (`peers/<lib>/collection.ts`) gets `size` entities, then single-entity updates, in a child
 * process of its own with `--expose-gc`. Atoma under `full` instrumentation keeps its history
 * (500 transactions by default, with patches and before/after snapshots); the peers keep none.
 * The child is bundled once by esbuild, so each process starts in milliseconds.
 */
export const memory: Benchmark = {
  name: 'memory',
  description: 'heap after 500 transactions on a 100,000-entity collection (MB)',
  async run(scale: Scale) {
    const [size, transactions, runs] = scale === 'full' ? [100_000, 500, 5] : [1_000, 20, 1]
    const dir = mkdtempSync(join(tmpdir(), 'atoma-bench-memory-'))
    try {
      const child = join(dir, 'child.mjs')
      await build({
        entryPoints: [fileURLToPath(new URL('../memory/child.ts', import.meta.url))],
        outfile: child,
        bundle: true,
        format: 'esm',
        platform: 'node',
        conditions: ['source'],
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      })
      const measure = async (name: string) => {
        const args = ['--expose-gc', child, name, String(size), String(transactions)]
        const { stdout } = await run(process.execPath, args)
        return JSON.parse(stdout) as Heap
      }
      // Heaps are per process, so children run side by side (one per core): copying libraries
      // take minutes for their 500 updates of 100,000 entities.
      const jobs = collectionContenders.flatMap((c) => Array.from({ length: runs }, () => c))
      const results = await pool(jobs, availableParallelism(), (c) => measure(c.name))
      const entities = size.toLocaleString('en')
      // Both are absolute: Atoma's history under `full` also holds the commit that loaded the
      // collection until newer ones evict it, so a difference of the two would mislead.
      const cases: [string, (heap: Heap) => number][] = [
        [`${entities} entities loaded`, (heap) => heap.built],
        [`after ${transactions} transactions`, (heap) => heap.after],
      ]
      const samples: Sample[] = []
      for (const [label, value] of cases) {
        for (const contender of collectionContenders) {
          samples.push({
            contender: contender.name,
            label,
            unit: 'MB',
            values: results.filter((_, i) => jobs[i] === contender).map(value),
            baseline: contender.baseline,
          })
        }
      }
      return samples
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
