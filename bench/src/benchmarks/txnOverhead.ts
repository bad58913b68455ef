import { type Benchmark, inRounds, type Scale, timedSample } from '../harness.js'
import { withProbes } from '../isolate.js'
import { txnContenders as contenders } from '../probes/txnOverhead.js'

/**
 * What a transaction adds to the immer call at its heart: the same change (toggle one todo of a
 * 100-todo store) as an Atoma transaction under `light` and `full` instrumentation, as immer's
 * `produceWithPatches` (the patches `full` records), and as a bare `produce` (the baseline).
 * Each run is a process of its own (probes/txnOverhead.ts).
 */
export const txnOverhead: Benchmark = {
  name: 'txn-overhead',
  description: 'one store change: Atoma transaction vs bare immer (µs per change)',
  async run(scale: Scale) {
    const size = scale === 'full' ? 100 : 10
    const [maxOps, budgetMs, runs] = scale === 'full' ? [20_000, 500, 7] : [50, 10, 1]
    const timings = await withProbes((probe) =>
      inRounds(contenders, runs, (c) => probe('txn-overhead', { contender: c.name, size, maxOps, budgetMs })),
    )
    return contenders.map((c, i) => timedSample(c, `toggle 1 of ${size} todos`, 'µs/change', timings[i]!))
  },
}
