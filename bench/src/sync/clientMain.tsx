// The clients of the sync benchmark, one fresh Node process per run: `@atoma/sync` on the
// `sync-queue` policy in a real runtime, against the server process over loopback. The parent
// names the case; the process answers one request with its numbers, then ends.
import { createRuntime } from '@atoma/runtime'
import { sync } from '@atoma/sync'
import { childArgs, serve } from './child.js'
import { live, pulledStore, queued } from './stores.js'

export type ClientCase =
  | { case: 'latency'; url: string; writes: number; warmup: number }
  | { case: 'pull'; url: string; size: number }
  | { case: 'offline'; url: string; writes: number; prefix: string }

export interface LatencyResult {
  /** ms from A's write call to B's commit of the value, one per timed write. */
  ms: number[]
  /** CPU of both clients over the timed writes. */
  cpuMs: number
}
export interface PullResult {
  ms: number
  cpuMs: number
  /** Heap held after the pull, garbage collected, over the heap before the runtime. */
  heapBytes: number
}
export interface OfflineResult {
  ms: number
  cpuMs: number
  /** Push requests the runtime made while offline (each failed). */
  offlineAttempts: number
}

/** CPU (user + system) of this process since `start`, in ms: the machine's load moves it less than time. */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

const args = childArgs<ClientCase>()
serve(
  () => (args.case === 'latency' ? latency(args) : args.case === 'pull' ? pull(args) : offline(args)),
  true,
)

const open = (url: string, store: ReturnType<typeof pulledStore>, fetchImpl?: typeof fetch) => {
  const runtime = createRuntime({
    stores: [store],
    plugins: [sync({ baseUrl: url, outbox: 'memory', ...(fetchImpl ? { fetch: fetchImpl } : {}) })],
    policy: 'sync-queue',
  })
  return runtime
}
type SyncedRuntime = ReturnType<typeof open>

/** Resolves once `check` holds, tested now and after every change of `subscribe`. */
function until(subscribe: (listener: () => void) => () => void, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const test = () => {
      if (!check()) return
      stop?.()
      resolve()
    }
    const stop: (() => void) | undefined = subscribe(test)
    test()
  })
}

const connected = (runtime: SyncedRuntime) =>
  until(runtime.sync.subscribe, () => runtime.sync.status().connected)

/**
 * Client A writes, client B shows: B renders entity `e0` with `useEntity` in a real React root on
 * a jsdom document, and a layout effect (run in the commit that put the value in the DOM) takes
 * the time. A's write call starts it; between them are A's push, the server's commit and poke
 * (Server-Sent Events), B's pull and B's React commit. One write at a time, each confirmed before
 * the next.
 */
async function latency({ url, writes, warmup }: Extract<ClientCase, { case: 'latency' }>) {
  const { JSDOM } = await import('jsdom')
  const dom = new JSDOM('<!doctype html><div id="root"></div>')
  Object.assign(globalThis, { window: dom.window, document: dom.window.document })
  // react-dom looks for a DOM when it loads: it comes after the globals.
  const { ClientB } = await import('./clientB.js')
  const a = open(url, live)
  const b = open(url, live)
  await Promise.all([a.ready(), b.ready()])
  await Promise.all([connected(a), connected(b)])
  const view = await ClientB.mount(b, dom.window.document.getElementById('root')!)
  await until(a.store(live).subscribe, () => a.store(live).get('e0') !== undefined)
  const ms: number[] = []
  let cpu = process.cpuUsage()
  for (let i = 0; i < warmup + writes; i++) {
    if (i === warmup) cpu = process.cpuUsage()
    const label = `write ${i}`
    const shown = view.shows(label)
    const t0 = performance.now()
    const write = a.store(live).write.update('e0', (draft) => {
      draft.label = label
    })
    const t1 = await shown
    const result = await write
    if (result.status !== 'confirmed')
      throw new Error(`write ${i} was not confirmed: ${JSON.stringify(result)}`)
    if (i >= warmup) ms.push(t1 - t0)
  }
  const cpuMs = cpuSince(cpu)
  view.unmount()
  a.dispose()
  b.dispose()
  return { ms, cpuMs } satisfies LatencyResult
}

/** A fresh runtime's first pull of the store of `size` entities, to the last one landed. */
async function pull({ url, size }: Extract<ClientCase, { case: 'pull' }>) {
  const store = pulledStore(size)
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const heap0 = process.memoryUsage().heapUsed
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const runtime = open(url, store)
  await runtime.ready()
  const handle = runtime.store(store)
  await until(handle.subscribe, () => handle.getState().size === size)
  const ms = performance.now() - t0
  const cpuMs = cpuSince(cpu)
  gc?.()
  const heapBytes = process.memoryUsage().heapUsed - heap0
  runtime.dispose()
  return { ms, cpuMs, heapBytes } satisfies PullResult
}

/**
 * `writes` creates made offline (the runtime is created offline: its fetch fails as a browser's
 * does, with a TypeError), then the browser's `online` event: from it to the outbox empty and
 * every write confirmed. The parent then counts them in the database.
 */
async function offline({ url, writes, prefix }: Extract<ClientCase, { case: 'offline' }>) {
  // Node has no window events; sync() listens for `online` on globalThis, as on a browser's window.
  const events = new EventTarget()
  Object.assign(globalThis, {
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  })
  let online = false
  let offlineAttempts = 0
  const gated: typeof fetch = (input, init) => {
    if (online) return fetch(input, init)
    if (String(input).endsWith('/ops')) offlineAttempts++
    return Promise.reject(new TypeError('fetch failed'))
  }
  const runtime = open(url, queued, gated)
  await runtime.ready()
  const handle = runtime.store(queued)
  const results = Array.from({ length: writes }, (_, i) =>
    Promise.resolve(handle.write.create({ id: `${prefix}${i}`, label: `queued ${i}`, count: i })),
  )
  await until(runtime.sync.subscribe, () => runtime.sync.status().pending === writes)
  // Let the failed pushes' bookkeeping settle, so the lane is waiting out its backoff.
  await new Promise((resolve) => setTimeout(resolve, 100))
  const attemptsWhileOffline = offlineAttempts
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  online = true
  events.dispatchEvent(new Event('online'))
  const settled = await Promise.all(results)
  await until(runtime.sync.subscribe, () => runtime.sync.status().pending === 0)
  const ms = performance.now() - t0
  const cpuMs = cpuSince(cpu)
  const refused = settled.filter((r) => r.status !== 'confirmed')
  if (refused.length > 0) throw new Error(`${refused.length} offline writes were not confirmed`)
  runtime.dispose()
  return { ms, cpuMs, offlineAttempts: attemptsWhileOffline } satisfies OfflineResult
}
