import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { type Benchmark, inRounds, type Row, type Sample, type Scale } from '../harness.js'
import { bundleClient } from '../sync/bundleClient.js'
import { type Child, spawnChild, viaTsx } from '../sync/child.js'
import type { ClientCase, LatencyResult, OfflineResult, PullResult } from '../sync/clientMain.js'
import type { Spent } from '../sync/serverMain.js'
import { live, pulledStore, queued } from '../sync/stores.js'

const contender = 'atoma (sync-queue)'
const MB = 1024 * 1024

/** The value at quantile `q` (nearest rank) of `values`. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** A run longer than this is a client that will never finish (B never shows a write, say): it fails. */
const HANG_MS = 180_000

/** One client process of the bundle at `path`: the case, its result, then the process is gone. */
async function runClient<T>(path: string, c: ClientCase): Promise<T> {
  const child = spawnChild(path, c)
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the ${c.case} client did not finish in ${HANG_MS} ms`)),
      HANG_MS,
    )
  })
  try {
    return await Promise.race([child.ask<T>({ ask: 'run' }), hang])
  } finally {
    clearTimeout(timer)
    await child.stop()
  }
}

/**
 * `@atoma/sync` end to end over loopback, real parts only: `@atoma/server` on PGlite (in memory)
 * in a process of its own on 127.0.0.1, started and seeded once (a deployed server is long-lived),
 * and a fresh Node process per run for the clients, the runtime on the `sync-queue` policy with
 * the plugin's defaults (pull pages of 1,000, a memory outbox: Node has no IndexedDB). Runs go in
 * rounds over the cases.
 *
 * - write → rendered: client A updates an entity; client B, in the same process (one clock), shows
 *   it with `useEntity` in a React root on a jsdom document. From A's write call to B's layout
 *   effect of the commit with the value: push, commit, the server's poke (Server-Sent Events,
 *   coalesced for its default 20 ms), B's pull, B's render. p50 and p99 of each run's writes.
 * - first pull: a fresh runtime to the last of N entities in its store: ms, MB the server sent
 *   (every byte on its sockets, headers included), and the heap the runtime then holds.
 * - offline: N creates made while the runtime's fetch fails as an offline browser's does, then
 *   the `online` event: ms (and writes/s) to an empty outbox with every write confirmed, after
 *   which the database is asked how many of them it holds (a run with fewer fails).
 *
 * Each case also gives the CPU (user + system) the client process and the server process spent
 * on it: on a machine shared with other work, time follows the load and CPU much less. The
 * server's is over the whole client run (for the latency case: warm-up and first pulls included,
 * per write of the run).
 */
export const syncBench: Benchmark = {
  name: 'sync',
  description:
    'write in A → rendered in B (React), first pull of 10,000 / 100,000, 1,000 offline writes pushed (real server, loopback)',
  async run(scale: Scale) {
    const full = scale === 'full'
    const sizes = full ? [10_000, 100_000] : [100, 1_000]
    const [writes, warmup, offlineWrites, runs] = full ? [100, 10, 1_000, 3] : [5, 1, 20, 1]
    const bundle = await bundleClient()
    const server: Child = spawnChild(
      fileURLToPath(new URL('../sync/serverMain.ts', import.meta.url)),
      {
        seeded: [
          { name: live.name, size: 1 },
          ...sizes.map((size) => ({ name: pulledStore(size).name, size })),
        ],
        plain: [queued.name],
      },
      viaTsx,
    )
    const client = <T>(c: ClientCase) => runClient<T>(bundle.path, c)
    try {
      const url = await server.ask<string>({ ask: 'url' })
      /** One client run with the server's spending around it (marked before, read after). */
      const measured = async <T>(c: ClientCase) => {
        await server.ask({ ask: 'mark' })
        const result = await client<T>(c)
        return { result, server: await server.ask<Spent>({ ask: 'spent' }) }
      }
      const count = (n: number) => n.toLocaleString('en')
      /** A case: its rows (label, unit, runs × operations), and a run giving one value per row. */
      type Case = { rows: [string, string, number?][]; measure(n: number): Promise<number[]> }
      const cases: Case[] = [
        {
          rows: [
            ['write A → rendered B · p50', 'ms', writes],
            ['write A → rendered B · p99', 'ms', writes],
            ['write A → rendered B · CPU of A + B', 'ms/write', writes],
            ['write A → rendered B · CPU of the server', 'ms/write', writes + warmup],
          ],
          async measure() {
            const { result, server } = await measured<LatencyResult>({ case: 'latency', url, writes, warmup })
            return [
              quantile(result.ms, 0.5),
              quantile(result.ms, 0.99),
              result.cpuMs / writes,
              server.cpuMs / (writes + warmup),
            ]
          },
        },
        ...sizes.map(
          (size): Case => ({
            rows: [
              [`first pull · ${count(size)}`, 'ms'],
              [`first pull · ${count(size)} · received`, 'MB'],
              [`first pull · ${count(size)} · heap`, 'MB'],
              [`first pull · ${count(size)} · CPU of the client`, 'ms'],
              [`first pull · ${count(size)} · CPU of the server`, 'ms'],
            ],
            async measure() {
              const { result, server } = await measured<PullResult>({ case: 'pull', url, size })
              return [result.ms, server.bytes / MB, result.heapBytes / MB, result.cpuMs, server.cpuMs]
            },
          }),
        ),
        {
          rows: [
            [`${count(offlineWrites)} offline writes pushed`, 'ms', offlineWrites],
            [`${count(offlineWrites)} offline writes pushed · rate`, 'writes/s', offlineWrites],
            [`${count(offlineWrites)} offline writes pushed · CPU of the client`, 'ms', offlineWrites],
            [`${count(offlineWrites)} offline writes pushed · CPU of the server`, 'ms', offlineWrites],
            [`${count(offlineWrites)} offline writes · failed pushes while offline`, 'requests'],
          ],
          async measure(n) {
            const prefix = `r${n}-`
            const { result, server: spent } = await measured<OfflineResult>({
              case: 'offline',
              url,
              writes: offlineWrites,
              prefix,
            })
            const stored = await server.ask<number>({ ask: 'count', store: queued.name, prefix })
            if (stored !== offlineWrites)
              throw new Error(`the database holds ${stored} of the ${offlineWrites} offline writes`)
            const { ms, cpuMs, offlineAttempts } = result
            return [ms, (offlineWrites * 1000) / ms, cpuMs, spent.cpuMs, offlineAttempts]
          },
        },
      ]
      let runNumber = 0
      const results = await inRounds(cases, runs, (c) => c.measure(runNumber++))
      return cases.flatMap((c, i) =>
        c.rows.map(
          ([label, unit, opsPerRun], row): Sample => ({
            contender,
            label,
            unit,
            values: results[i]!.map((run) => run[row]!),
            ...(opsPerRun ? { opsPerRun } : {}),
          }),
        ),
      )
    } finally {
      await server.ask({ ask: 'close' }).catch(() => undefined)
      await server.stop()
      bundle.remove()
    }
  },
  note(rows: readonly Row[]) {
    const load = loadavg()
      .map((n) => n.toFixed(2))
      .join(' / ')
    const rate = rows.find((r) => r.unit === 'writes/s')
    return (
      `${availableParallelism()} cores, load ${load} (1 / 5 / 15 min) after the runs; server and clients share them. ` +
      'One server process (PGlite in memory, 127.0.0.1) for every run; each run a fresh client process; A and B are two runtimes in one Node process (one clock), B renders with React 19 in jsdom. ' +
      `Pokes are coalesced for the server's default 20 ms, inside every write → rendered figure.` +
      (rate ? ' writes/s is higher-is-better (the only such row).' : '') +
      ' CPU rows are user + system time of the process named, less moved by the load than ms.'
    )
  },
}
