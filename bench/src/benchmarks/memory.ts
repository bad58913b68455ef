import { availableParallelism } from 'node:os'
import { type Benchmark, pool, type Sample, type Scale } from '../harness.js'
import { withProbes } from '../isolate.js'
import { collectionContenders } from '../peers/index.js'
import type { Heap } from '../probes/memory.js'

/**
 * Heap after transactions on a large collection: each contender's collection store
 * (`peers/<lib>/collection.ts`) gets `size` entities, then single-entity updates, in a process
 * of its own (probes/memory.ts). Atoma under `full` instrumentation keeps its history (500
 * transactions by default, with patches and before/after snapshots); the peers keep none.
 */
export const memory: Benchmark = {
  name: 'memory',
  description: 'heap after 500 transactions on a 100,000-entity collection (MB)',
  async run(scale: Scale) {
    const [size, transactions, runs] = scale === 'full' ? [100_000, 500, 5] : [1_000, 20, 1]
    // Heaps are per process, so probes run side by side (one per core): copying libraries take
    // minutes for their 500 updates of 100,000 entities.
    const jobs = collectionContenders.flatMap((c) => Array.from({ length: runs }, () => c))
    const results = await withProbes((probe) =>
      pool(jobs, availableParallelism(), (c) => probe('memory', { contender: c.name, size, transactions })),
    )
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
  },
  note: () =>
    'Atoma (full) keeps the last 500 commits in its history: right after loading, that includes the commit that loaded the collection, with a logical patch per entity; the 500 transactions evict it.',
}
