import { randomUUID } from 'node:crypto'
import dc from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { connectNode } from '@atoma/connect'
import { type ExecutionNode, httpNode, type WriteEntry } from '@atoma/runtime'
import { median } from '../harness.js'

/** The carriages compared: the node each backend plugin registers, as the kernel calls it. */
export const transportContenders = [
  { name: 'HTTP JSON (httpBackend)' },
  { name: 'Connect JSON (connectBackend)' },
  { name: 'Connect binary (connectBackend)' },
] as const

export interface TransportArgs {
  contender: string
  /** The server's base URL (`@atoma/server` on 127.0.0.1). */
  url: string
  /** The store seeded with `items` items, queried whole. */
  queried: string
  items: number
  /** The store the writes create their items in. */
  written: string
  entries: number
  /** Timed repetitions of each operation, after the warm-up. */
  reps: number
}

/** Bytes of one operation at the client's sockets: what it sent and what it received. */
export interface Wire {
  request: number
  response: number
}

export interface TransportRun {
  queryMs: number
  writeMs: number
  /** CPU time of this (client) process per operation: what the carriage costs the app, less moved by the machine's load than wall time. */
  queryCpuMs: number
  writeCpuMs: number
  query: Wire
  write: Wire
}

/** A value of a plausible size and shape (text, numbers, booleans, an array): a task. */
export function makeItem(id: string, n: number): Record<string, unknown> {
  return {
    id,
    title: `Task ${n}: review the quarterly plan with the team`,
    done: n % 3 === 0,
    priority: n % 5,
    estimate: (n % 13) * 0.5,
    assignee: `user-${n % 17}`,
    tags: ['ops', 'q3', 'review'].slice(0, n % 4),
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
  }
}

export function createEntries(prefix: string, count: number): WriteEntry[] {
  return Array.from({ length: count }, (_, n) => ({
    entryId: `${prefix}-${n}`,
    op: 'create' as const,
    id: `${prefix}-${n}`,
    value: makeItem(`${prefix}-${n}`, n),
    idempotencyKey: `${prefix}-${n}`,
    clientTimeMs: Date.now(),
  }))
}

type Node = Required<Pick<ExecutionNode, 'query' | 'write'>>

function nodeOf(contender: string, baseUrl: string): Node {
  const node =
    contender === 'HTTP JSON (httpBackend)'
      ? httpNode({ baseUrl })
      : contender === 'Connect JSON (connectBackend)'
        ? connectNode({ baseUrl, binary: false })
        : contender === 'Connect binary (connectBackend)'
          ? connectNode({ baseUrl, binary: true })
          : undefined
  if (!node?.query || !node.write) throw new Error(`transport: no contender named ${contender}`)
  return node as Node
}

/**
 * One run of `transport` (benchmarks/transport.ts) for one carriage, alone in this process: a
 * query of every item of `queried` and a write creating `entries` items, each checked (a carriage
 * that answers less fails the run). Bytes are counted at the sockets fetch opens (undici's
 * `undici:client:connected` diagnostics channel hands them over): `bytesWritten` and `bytesRead`,
 * so HTTP/1.1 request and status lines, headers and bodies, as they cross loopback. Times (wall,
 * and this process's CPU) are the median of `reps` of each, after a warm-up that also opens the
 * connection.
 */
export async function transportProbe(args: TransportArgs): Promise<TransportRun> {
  const sockets = new Set<Socket>()
  dc.subscribe('undici:client:connected', (message) => sockets.add((message as { socket: Socket }).socket))
  const counted = (): Wire => {
    let request = 0
    let response = 0
    for (const socket of sockets) {
      request += socket.bytesWritten
      response += socket.bytesRead
    }
    return { request, response }
  }
  const node = nodeOf(args.contender, args.url)
  const signal = new AbortController().signal
  // Of one length in every run, so the ids cost the same bytes each time.
  const prefix = randomUUID().slice(0, 8)
  let writes = 0

  const query = async () => {
    const result = await node.query({ store: args.queried, query: { limit: args.items }, signal })
    if (result.items.length !== args.items)
      throw new Error(`${args.contender}: the query answered ${result.items.length} of ${args.items} items`)
  }
  const write = async () => {
    const entries = createEntries(`${prefix}-${writes++}`, args.entries)
    const result = await node.write({ store: args.written, entries, signal })
    const confirmed = result.items.filter((item) => item.status === 'confirmed').length
    if (confirmed !== args.entries)
      throw new Error(`${args.contender}: the write confirmed ${confirmed} of ${args.entries} entries`)
  }
  /** The bytes `op` moved; the sockets are idle between operations (one at a time, awaited). */
  const bytes = async (op: () => Promise<void>): Promise<Wire> => {
    const before = counted()
    await op()
    // The last bytes of a response are read in the same tick that resolves it; one turn of the
    // event loop lets a trailing chunk terminator be counted with its response, not the next.
    await new Promise((resolve) => setImmediate(resolve))
    const after = counted()
    return { request: after.request - before.request, response: after.response - before.response }
  }
  const time = async (op: () => Promise<void>): Promise<{ ms: number; cpuMs: number }> => {
    const cpu = process.cpuUsage()
    const t0 = performance.now()
    await op()
    const ms = performance.now() - t0
    const { user, system } = process.cpuUsage(cpu)
    return { ms, cpuMs: (user + system) / 1000 }
  }

  for (let i = 0; i < 3; i++) {
    await query()
    await write()
  }
  const wire = { query: await bytes(query), write: await bytes(write) }
  const queried: Array<{ ms: number; cpuMs: number }> = []
  const written: Array<{ ms: number; cpuMs: number }> = []
  for (let i = 0; i < args.reps; i++) {
    queried.push(await time(query))
    written.push(await time(write))
  }
  return {
    queryMs: median(queried.map((t) => t.ms)),
    writeMs: median(written.map((t) => t.ms)),
    queryCpuMs: median(queried.map((t) => t.cpuMs)),
    writeCpuMs: median(written.map((t) => t.cpuMs)),
    ...wire,
  }
}
