import { httpNode } from '@atoma/runtime'
import { startServer } from '@atoma/server'
import { type Benchmark, inRounds, type Sample, type Scale } from '../harness.js'
import { withProbes } from '../isolate.js'
import { createEntries, type TransportRun, transportContenders } from '../probes/transport.js'

const QUERIED = 'tasks'
const WRITTEN = 'drafts'

/**
 * The carriages of remote ops against a real `@atoma/server` (PGlite in memory, in this process,
 * on 127.0.0.1): HTTP JSON (`httpBackend`'s node, `POST /ops`) against Connect with JSON and with
 * binary protobuf (`connectBackend`'s node, the Connect protocol over HTTP/1.1 fetch). Each run is
 * a fresh client process (probes/transport.ts) that warms up, counts the bytes of one query of
 * every item and one write of `entries` creates at its sockets, then times each operation; runs go
 * in rounds over the carriages. The server's rate limit is off and its request deadline long (the
 * probes are its only client, and a loaded machine must not turn the work into TIMEOUT answers).
 */
export const transport: Benchmark = {
  name: 'transport',
  description:
    'a query of 1,000 items and a write of 100 entries against @atoma/server (PGlite) on loopback: ms and bytes on the wire, HTTP JSON vs Connect JSON vs Connect binary',
  async run(scale: Scale) {
    const [items, entries, runs, reps] = scale === 'full' ? [1_000, 100, 7, 15] : [20, 5, 1, 1]
    const server = await startServer({
      collections: [
        { name: QUERIED, key: 'id', fields: {} },
        { name: WRITTEN, key: 'id', fields: {} },
      ],
      database: { kind: 'memory' },
      port: 0,
      basePath: '/api',
      rateLimit: false,
      limits: { requestTimeoutMs: 120_000 },
    })
    try {
      // Seeded over HTTP in pages the server accepts (at most 500 entries per op).
      const seed = httpNode({ baseUrl: server.url })
      const signal = new AbortController().signal
      const all = createEntries('seed', items)
      for (let at = 0; at < all.length; at += 500) {
        const seeded = await seed.write?.({ store: QUERIED, entries: all.slice(at, at + 500), signal })
        const failed = seeded?.items.find((item) => item.status !== 'confirmed')
        if (!seeded || failed)
          throw new Error(`transport: seeding failed: ${JSON.stringify(failed ?? seeded).slice(0, 300)}`)
      }
      const results = await withProbes((probe) =>
        inRounds(transportContenders, runs, (c) =>
          probe('transport', {
            contender: c.name,
            url: server.url,
            queried: QUERIED,
            items,
            written: WRITTEN,
            entries,
            reps,
          }),
        ),
      )
      const query = `query of ${items.toLocaleString('en')} items`
      const write = `write of ${entries} entries`
      const cases: [string, string, (run: TransportRun) => number][] = [
        [`${query} · time`, 'ms', (r) => r.queryMs],
        [`${query} · client CPU`, 'ms', (r) => r.queryCpuMs],
        [`${query} · request`, 'B', (r) => r.query.request],
        [`${query} · response`, 'B', (r) => r.query.response],
        [`${query} · request + response`, 'B', (r) => r.query.request + r.query.response],
        [`${write} · time`, 'ms', (r) => r.writeMs],
        [`${write} · client CPU`, 'ms', (r) => r.writeCpuMs],
        [`${write} · request`, 'B', (r) => r.write.request],
        [`${write} · response`, 'B', (r) => r.write.response],
        [`${write} · request + response`, 'B', (r) => r.write.request + r.write.response],
      ]
      const samples: Sample[] = []
      for (const [label, unit, pick] of cases)
        for (const [i, contender] of transportContenders.entries())
          samples.push({
            contender: contender.name,
            label,
            unit,
            values: results[i]!.map(pick),
            opsPerRun: unit === 'ms' ? reps : undefined,
          })
      return samples
    } finally {
      await server.close()
    }
  },
  note: () =>
    'Bytes: counted at the client’s TCP sockets (`socket.bytesWritten` / `bytesRead` of the connections fetch opens), HTTP/1.1 lines and headers included (a write’s answer grows by a byte per entry when the store’s versions gain a digit). Time (wall clock, server included) and client CPU (the client process’s user + system time): per run, the median of its operations; each run a fresh client process, after a warm-up.',
}
