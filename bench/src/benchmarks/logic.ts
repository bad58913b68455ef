import { type Benchmark, inRounds, type Scale, timedSample } from '../harness.js'
import { withProbes } from '../isolate.js'
import { computedContenders, latestContenders } from '../probes/logic.js'

/**
 * @atoma/logic against what users of its peers reach for. A computed field over `size` items
 * updated by one toggle (µs per update, the subscriber's read included): Atoma's `computed` trait,
 * RTK's `createSelector` (reselect), a jotai derived atom, a hand-written floor. And a `latest`
 * watcher under a burst of rapid triggers, each superseding the run before (µs per trigger, the
 * aborted runs' settling included), against RTK's listener middleware with
 * `cancelActiveListeners()`, each beside its library's bare dispatch. Every run is a process of
 * its own (probes/logic.ts), in rounds.
 */
export const logic: Benchmark = {
  name: 'logic',
  description:
    'computed field vs reselect and jotai (µs per update); latest watcher under rapid triggers (µs per trigger)',
  async run(scale: Scale) {
    const size = scale === 'full' ? 10_000 : 50
    const [maxOps, budgetMs, runs] = scale === 'full' ? [20_000, 1_000, 7] : [20, 10, 1]
    const [derived, latest] = await withProbes(async (probe) => [
      await inRounds(computedContenders, runs, (c) =>
        probe('logic-computed', { contender: c.name, size, maxOps, budgetMs }),
      ),
      await inRounds(latestContenders, runs, (c) => probe('logic-latest', { contender: c.name, size })),
    ])
    const items = size.toLocaleString('en')
    return [
      ...computedContenders.map((c, i) =>
        timedSample(c, `computed over ${items} items, one toggle`, 'µs/update', derived[i]!),
      ),
      ...latestContenders.map((c, i) =>
        timedSample(c, `latest under ${items} rapid triggers`, 'µs/trigger', latest[i]!),
      ),
    ]
  },
  note(rows) {
    const median = (contender: string) => rows.find((r) => r.contender === contender)?.median
    const overhead = (watcher: string, dispatch: string) => {
      const [w, d] = [median(watcher), median(dispatch)]
      return w === undefined || d === undefined ? '—' : `${(w - d).toFixed(2)} µs`
    }
    return `Overhead per trigger (latest watcher minus the bare dispatch of the same library): atoma ${overhead(
      'atoma latest watcher',
      'atoma dispatch, no watcher',
    )}; redux toolkit ${overhead('redux toolkit listener (cancelActiveListeners)', 'redux toolkit dispatch, no listener')}.`
  },
}
