// The server of the sync benchmark, in a process of its own (as a deployed server is): the real
// @atoma/server on PGlite in memory, listening on 127.0.0.1, seeded, then answering the parent's
// questions over IPC: the bytes it sent and the CPU it used since a mark, and how many items the
// database holds.
import type { Socket } from 'node:net'
import { startServer } from '@atoma/server'
import { childArgs, serve } from './child.js'
import type { SeededStore } from './stores.js'

const { seeded, plain } = childArgs<{ seeded: SeededStore[]; plain: string[] }>()
const server = await startServer({
  collections: [...seeded.map((s) => s.name), ...plain].map((name) => ({
    name,
    key: 'id',
    fields: { label: 'text', count: 'number' },
  })),
  database: { kind: 'memory' },
  host: '127.0.0.1',
  port: 0,
  basePath: '/api',
  // Both clients of a run are the one anonymous principal, and the rate limit is per principal:
  // at 50 requests a second it would time the limiter, not sync.
  rateLimit: false,
})

// Seeded in SQL, rows as the write path leaves them (a version from the store's sequence, the
// item as its data): through POST /ops each entry costs milliseconds of PGlite, and 110,000 of
// them would take minutes before anything is measured.
for (const { name, size } of seeded) {
  await server.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO atoma_items (store, id_kind, id, version, data)
       SELECT $1::text, 'string', 'e' || g, g + 1, jsonb_build_object('id', 'e' || g, 'label', 'entity ' || g, 'count', 0)
       FROM generate_series(0, $2::text::integer - 1) AS g`,
      [name, String(size)],
    )
    await tx.query('INSERT INTO atoma_stores (store, version) VALUES ($1::text, $2::text::bigint)', [
      name,
      String(size),
    ])
  })
}

// What the write path would have had the server do after so many changes (db/statistics.ts):
// without statistics the planner sorts every remaining row for each pull page.
await server.db.query('ANALYZE atoma_items')

// Every connection's bytes on the wire, headers and framing included (the server compresses nothing).
const sockets = new Set<Socket>()
server.httpServer.on('connection', (socket: Socket) => sockets.add(socket))
const sent = () => [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0)
/** What the server spent since the last `mark`: bytes sent, and CPU (user + system), which the machine's load moves less than time. */
export interface Spent {
  bytes: number
  cpuMs: number
}
let mark = { bytes: 0, cpu: process.cpuUsage() }

serve(async (request) => {
  switch (request.ask) {
    case 'url':
      return server.url
    case 'mark':
      mark = { bytes: sent(), cpu: process.cpuUsage() }
      return true
    case 'spent': {
      const cpu = process.cpuUsage(mark.cpu)
      return { bytes: sent() - mark.bytes, cpuMs: (cpu.user + cpu.system) / 1000 } satisfies Spent
    }
    case 'count': {
      const [row] = await server.db.query(
        `SELECT count(*)::text AS n FROM atoma_items WHERE store = $1::text AND id LIKE $2::text AND NOT deleted`,
        [String(request.store), `${String(request.prefix)}%`],
      )
      return Number(row?.n)
    }
    case 'close':
      await server.close()
      return true
    default:
      throw new Error(`unknown request ${JSON.stringify(request)}`)
  }
})
