import { entityId, makeEntities } from '../data.js'
import { type Benchmark, lcg, opsPerRun, type Sample, type Scale, timeOps } from '../harness.js'
import { collectionContenders } from '../peers/index.js'

/**
 * DESIGN §2: a single-entity write must cost about the same in a collection of 100 as of
 * 100,000. Each contender writes one pseudo-random entity at a time (no subscribers), the way its
 * docs update a normalized collection (see `peers/<lib>/collection.ts`); µs per write, and the
 * ratio of the largest collection to the smallest per contender.
 */
export const writeCost: Benchmark = {
  name: 'write-cost',
  description: 'one entity written into collections of growing size (µs per write)',
  async run(scale: Scale) {
    const sizes = scale === 'full' ? [100, 10_000, 100_000] : [10, 100]
    const maxWrites = scale === 'full' ? 5_000 : 50
    const budgetMs = scale === 'full' ? 1_000 : 10
    const runs = scale === 'full' ? 7 : 2
    const samples: Sample[] = []
    for (const contender of collectionContenders) {
      for (const size of sizes) {
        const store = contender.create(makeEntities(size))
        const next = lcg()
        const write = () => store.bump(entityId(next(size)))
        const count = opsPerRun(write, maxWrites, budgetMs)
        samples.push({
          contender: contender.name,
          label: `${size.toLocaleString('en')} entities`,
          unit: 'µs/write',
          values: timeOps(write, count, runs),
          opsPerRun: count,
          ...(contender.baseline ? { baseline: true } : {}),
        })
      }
    }
    return samples
  },
  note(rows) {
    const ratios = [...new Set(rows.map((r) => r.contender))].map((contender) => {
      const mine = rows.filter((r) => r.contender === contender)
      return `${contender} ${(mine.at(-1)!.median / mine[0]!.median).toFixed(2)}×`
    })
    const [first, last] = [rows[0]?.label, rows.at(-1)?.label]
    return `Median per write, ${last} / ${first}: ${ratios.join('; ')} (Atoma's target ≤ 2×).`
  },
}
