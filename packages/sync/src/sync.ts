import {
  AtomaError,
  type AtomaPlugin,
  type EntryResult,
  type ExecutionNode,
  type HeadersOption,
  httpNode,
  type Id,
  isAtomaError,
  type PluginRuntime,
  type WriteEntry,
} from '@atoma/runtime'
import type { PullChange, PullResponse } from '@atoma/runtime/protocol'
import { backoff } from './backoff.js'
import { indexedDbOutbox } from './outbox/indexedDbOutbox.js'
import { memoryOutbox } from './outbox/memoryOutbox.js'
import { Outbox, type SettledEntry } from './outbox/outbox.js'
import { type OutboxRecord, type OutboxStorage, recordProblem } from './outbox/outboxRecord.js'
import { eventStreamPokes, type PokeSource, pokeStream } from './poke/pokeStream.js'
import { parsePull } from './pull/parsePull.js'
import { type ConflictPolicy, createPusher } from './push/pusher.js'
import { type SyncListener, type SyncStatus, statusStore } from './status.js'
import { elect, type Leadership, soleLeadership } from './tabs/leadership.js'
import { type TabChannel, type TabMessage, tabChannel } from './tabs/tabChannel.js'
import { createWire } from './wire.js'

/** Options of `sync()`; only `baseUrl` is required. */
export interface SyncOptions {
  /** The server's base URL: pushes go to `{baseUrl}/ops`, pulls to `{baseUrl}/pull`, pokes from `{baseUrl}/poke`. */
  baseUrl: string
  /** Names the outbox (one per app and user, say); tabs of an origin with the same name share it. Default `atoma`. */
  name?: string
  /** Where the outbox lives: IndexedDB (the default where there is one: it survives reloads and crashes) or memory. */
  outbox?: 'indexeddb' | 'memory' | OutboxStorage
  /** Request headers, or a function called for every request (a fresh token each time). */
  headers?: HeadersOption
  /** On a 401: refresh the credentials and resolve `true` to retry once (else pushing pauses until the next sign-in). */
  onUnauthenticated?: (error: AtomaError) => boolean | Promise<boolean>
  /** Per collection, what a CONFLICT does (default `server-wins`). */
  conflicts?: Record<string, ConflictPolicy>
  /** The collections to pull (default: every collection on the `sync-queue` policy). */
  stores?: string[]
  /**
   * Keep a poke stream open to pull as soon as the server changes (default true: `GET {baseUrl}/poke`),
   * or take the pokes from another source: Connect's `Subscribe` with
   * `poke: (request) => connectPokes({ baseUrl, headers }, request)` (from @atoma/connect).
   */
  poke?: boolean | PokeSource
  /** A pull now and then even without pokes, as a safety net (default 60 s; 0 = never). */
  pullIntervalMs?: number
  /** Backoff of push, pull and poke retries (default 500 ms doubling up to 30 s, with jitter). */
  retry?: { baseMs?: number; maxMs?: number }
  /** A push not answered in this long is abandoned and sent again (default 20 s). */
  pushTimeoutMs?: number
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch
  /** The IndexedDB to use for the outbox (default `globalThis.indexedDB`). */
  indexedDB?: IDBFactory
  /** The lock manager tabs elect a leader with (default `navigator.locks`; `null`: a BroadcastChannel election). */
  locks?: Parameters<typeof elect>[0]['locks']
}

/** What `runtime.sync` is (contract). */
export interface SyncApi {
  /** The status now (the same object until it changes). */
  status(): SyncStatus
  /** Calls `listener` after every status change; returns the function that stops it. */
  subscribe(listener: SyncListener): () => void
  /** Pushes everything now; resolves when the outbox is empty, rejects with the first definitive error. */
  flush(): Promise<void>
  /** Pulls now; resolves when every page of changes has landed. */
  pull(): Promise<void>
  /** The outbox as it is (devtools): entries in order, with their attempts and last error. */
  outbox(): readonly OutboxRecord[]
  /** The pull cursor (devtools): `undefined` before the first pull. */
  cursor(): string | undefined
  /**
   * Every entry that leaves the outbox, confirmed or rejected — also the entries of writes made
   * before a reload, whose handles are gone: this is where an app shows their rejections.
   */
  subscribeSettled(listener: (event: SettledEntry) => void): () => void
}

/** Changes per pull page. */
const PAGE = 1000

const STATUS: SyncStatus = { online: true, pushing: false, pending: 0, leader: false, connected: false }

/**
 * The sync orchestrator (docs/architecture.md §11) as a plugin: it registers the `sync-queue` policy, whose write
 * node is a durable outbox (a write commits optimistically as always, is appended in the same step,
 * and its handle settles when the server answers, however long that takes), and runs three lanes
 * beside the runtime: push (the outbox, in order, retried forever), pull (the server's changes
 * since a cursor, landed with `applyWriteback` as `sync` transactions) and poke (a stream that says
 * when to pull). Turning it on changes nothing in the runtime's write path: it is one more policy.
 */
export function sync(options: SyncOptions): AtomaPlugin<{ sync: SyncApi }> {
  const name = options.name ?? 'atoma'
  const http = httpNode({
    baseUrl: options.baseUrl,
    id: 'sync',
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.onUnauthenticated ? { onUnauthenticated: options.onUnauthenticated } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }) as Required<Pick<ExecutionNode, 'query' | 'write'>> & ExecutionNode
  const wire = createWire(options)
  const status = statusStore(STATUS)
  const lifetime = new AbortController()
  const retry = { base: options.retry?.baseMs ?? 500, max: options.retry?.maxMs ?? 30_000 }

  let runtime: PluginRuntime | undefined
  let outbox: Outbox | undefined
  let leadership: Leadership = soleLeadership()
  let channel: TabChannel | undefined
  // The pull cursor lives in memory, with the data it describes: a new runtime's stores start
  // empty, so its first pull starts from the beginning (a persisted cursor would skip everything).
  let cursor: string | undefined
  let started: Promise<void> | undefined
  const waitStarted = () => started ?? Promise.resolve()

  const node: ExecutionNode = {
    id: 'sync',
    source: 'remote',
    query: (input) => http.query(input),
    async write({ store, entries }) {
      await waitStarted()
      const box = requireOutbox()
      const fresh = entries.filter((entry) => !box.has(entry.entryId))
      if (fresh.length > 0) {
        const records = await box.append(store, fresh)
        channel?.post({ t: 'appended', records })
        if (leadership.leader) pushLane.kick()
      }
      const items = await Promise.all(entries.map((entry) => box.wait(entry.entryId)))
      const confirmed = items.filter((item) => item.status === 'confirmed').length
      return {
        status: confirmed === items.length ? 'confirmed' : confirmed === 0 ? 'rejected' : 'partial',
        items,
      }
    },
  }

  function requireOutbox(): Outbox {
    if (!outbox) throw new Error('sync: the outbox is not open (the runtime was disposed?)')
    return outbox
  }

  /** A failure, or (with none) a success: which clears a retryable last error, never a rejection. */
  const report = (error: AtomaError | undefined, online?: boolean) => {
    const patch: Partial<SyncStatus> = online === undefined ? {} : { online }
    if (error) patch.lastError = error
    else if (status.get().lastError?.retryable) patch.lastError = undefined
    status.set(patch)
  }
  const unreachable = (error: AtomaError) => error.code === 'TRANSPORT' || error.code === 'TIMEOUT'

  // ---- push lane ------------------------------------------------------------------------
  let push: ReturnType<typeof createPusher> | undefined
  const pushLane = lane(async (signal) => {
    status.set({ pushing: true })
    try {
      for (;;) {
        if (!push) return 'done'
        const outcome = await push.round(signal)
        if (outcome.kind === 'idle') return 'done'
        if (outcome.kind === 'pushed') {
          report(undefined, true)
          continue
        }
        report(outcome.error, outcome.kind === 'paused' ? true : !unreachable(outcome.error))
        return outcome.kind === 'paused' ? 'paused' : 'retry'
      }
    } finally {
      status.set({ pushing: false })
    }
  })

  // ---- pull lane ------------------------------------------------------------------------
  const pulled = () => {
    const wanted =
      options.stores ??
      runtime
        ?.collections()
        .filter((c) => c.policy === 'sync-queue')
        .map((c) => c.name)
    return new Set(wanted ?? [])
  }
  let pageSize = PAGE
  // `pull()` callers, each waiting for a pull that started after it asked (run numbers).
  const pullWaiters = new Set<{ after: number; resolve(): void; reject(error: AtomaError): void }>()
  let pullRuns = 0
  const settlePulls = (run: number, error?: AtomaError) => {
    for (const waiter of [...pullWaiters]) {
      if (waiter.after >= run) continue
      pullWaiters.delete(waiter)
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
  }
  // A first pull (no cursor) answers live rows only, never tombstones. What the base holds that it
  // did not bring was deleted by its end (or may not be read): an item a confirmation landed while
  // it ran, say a create replayed from the outbox whose item another client deleted since. So it
  // collects, per store, the ids it brought and the version it holds the store through, and when it
  // ends (over several pages and runs if need be) lands the rest as deleted.
  let firstPull: Map<string, { seen: Set<Id>; through?: number }> | undefined
  async function sweep(first: NonNullable<typeof firstPull>): Promise<void> {
    for (const [store, { seen, through }] of first) {
      const state = runtime?.getState(store) as { keys(): Iterable<Id> } | undefined
      if (through === undefined || typeof state?.keys !== 'function') continue
      const gone = [...state.keys()].filter((id) => !seen.has(id))
      // At `through`: an item confirmed after the pull's snapshot is newer, and stays.
      if (gone.length > 0)
        await runtime?.runtime.applyWriteback({
          store,
          origin: 'sync',
          items: gone.map((id) => ({ id, deleted: true, version: through })),
          through,
        })
    }
  }

  const pullLane = lane(async (signal) => {
    const run = ++pullRuns
    const stores = pulled()
    if (stores.size === 0) {
      settlePulls(run)
      return 'done'
    }
    if (cursor === undefined)
      firstPull = new Map([...stores].map((store) => [store, { seen: new Set<Id>() }]))
    try {
      for (let page = 0; page < 10_000; page++) {
        const raw = await wire.postJson(
          '/pull',
          { stores: [...stores], limit: pageSize, ...(cursor ? { cursor } : {}) },
          signal,
        )
        const answer = parsePull(raw, stores)
        await apply(answer)
        if (firstPull) {
          for (const change of answer.changes) firstPull.get(change.store)?.seen.add(change.id)
          for (const [store, version] of Object.entries(answer.through ?? {})) {
            const first = firstPull.get(store)
            if (first) first.through = version
          }
          if (!answer.more) {
            await sweep(firstPull)
            firstPull = undefined
          }
        }
        cursor = answer.cursor
        const at = Date.now()
        report(undefined, true)
        status.set({ lastPulledAt: at })
        channel?.post({
          t: 'pulled',
          changes: answer.changes,
          cursor,
          ...(answer.through ? { through: answer.through } : {}),
          at,
        })
        if (!answer.more) break
      }
      pageSize = PAGE
      settlePulls(run)
      // The server is reachable: whatever push was waiting goes now.
      pushLane.kick()
      return 'done'
    } catch (error) {
      if (signal.aborted) return 'done'
      const failure = isAtomaError(error) ? error : toError({ code: 'TRANSPORT', message: String(error) })
      // A page over the server's byte budget: smaller pages, at once (a single change too large stays an error).
      if (failure.code === 'RESPONSE_TOO_LARGE' && pageSize > 1) {
        pageSize = Math.max(1, Math.floor(pageSize / 4))
        return 'again'
      }
      report(failure, !unreachable(failure))
      // What asking again cannot fix (a store the server does not serve, a refusal) waits for a
      // kick, and ends the wait of whoever asked for this pull.
      if (failure.retryable || unreachable(failure)) return 'retry'
      settlePulls(run, failure)
      return 'paused'
    }
  })

  /** Lands a checked answer, store by store; `through` tells each store which older answers are old news. */
  async function apply({ changes, through = {} }: Pick<PullResponse, 'changes' | 'through'>): Promise<void> {
    if (!runtime) return
    const byStore = new Map<string, PullChange[]>()
    for (const store of Object.keys(through)) byStore.set(store, [])
    for (const change of changes) {
      const list = byStore.get(change.store)
      if (list) list.push(change)
      else byStore.set(change.store, [change])
    }
    for (const [store, list] of byStore)
      await runtime.runtime.applyWriteback({
        store,
        origin: 'sync',
        items: list.map((c) =>
          c.deleted
            ? { id: c.id, deleted: true, version: c.version }
            : { id: c.id, value: c.value, version: c.version },
        ),
        ...(through[store] === undefined ? {} : { through: through[store] }),
      })
  }

  // ---- poke lane ------------------------------------------------------------------------
  const pokes = typeof options.poke === 'function' ? options.poke : undefined
  const poke = pokeStream(
    pokes ? (request) => pokes({ ...request, stores: [...pulled()] }) : eventStreamPokes(wire),
    {
      poke: () => pullLane.kick(),
      state: (connected, error) => {
        status.set({ connected, ...(error ? { lastError: error } : {}) })
        if (connected) pullLane.kick()
      },
    },
    backoff(retry.base, retry.max),
    sleep,
  )

  /**
   * A lane runs its task one at a time; a kick while it runs runs it again after. 'retry' waits a
   * backoff (a kick cuts it short), 'paused' waits for a kick.
   */
  function lane(task: (signal: AbortSignal) => Promise<'done' | 'again' | 'retry' | 'paused'>) {
    const wait = backoff(retry.base, retry.max)
    let running = false
    let again = false
    let wake: (() => void) | undefined
    async function run(): Promise<void> {
      if (running) {
        again = true
        wake?.()
        return
      }
      running = true
      try {
        for (;;) {
          again = false
          if (lifetime.signal.aborted || !leadership.leader) return
          const outcome = await task(lifetime.signal)
          if (outcome === 'done') {
            wait.reset()
            if (!again) return
            continue
          }
          if (outcome === 'again') continue
          if (again) continue
          // A retry waits a backoff, a pause until a kick; a kick or the end of the runtime cuts either short.
          await new Promise<void>((resume) => {
            const done = () => {
              lifetime.signal.removeEventListener('abort', done)
              resume()
            }
            wake = done
            if (outcome === 'retry') void sleep(wait.fail(), lifetime.signal).then(done)
            lifetime.signal.addEventListener('abort', done, { once: true })
          })
          wake = undefined
        }
      } finally {
        running = false
      }
    }
    return { kick: () => void run() }
  }

  // ---- tabs -------------------------------------------------------------------------------
  function receive(message: TabMessage): void {
    const box = outbox
    if (!box || !runtime) return
    switch (message.t) {
      case 'appended': {
        const records = message.records.filter((record) => recordProblem(record) === undefined)
        box.add(records)
        resume(records)
        if (leadership.leader) pushLane.kick()
        break
      }
      case 'settled':
        box.settled(message.entryId, message.result)
        break
      case 'pulled':
        try {
          void apply(
            parsePull(
              { cursor: message.cursor, changes: message.changes, through: message.through },
              pulled(),
            ),
          ).then(() => {
            // A follower keeps the leader's cursor: if it leads next, it pulls on from there.
            cursor = message.cursor
            status.set({ lastPulledAt: message.at })
            settlePulls(++pullRuns)
          })
        } catch (error) {
          runtime.diagnostic(
            'sync::bad_tab_message',
            `another tab sent changes that are refused: ${String(error)}`,
          )
        }
        break
      case 'status':
        if (!leadership.leader)
          status.set({
            online: message.online,
            connected: message.connected,
            pushing: message.pushing,
            ...(message.error ? { lastError: toError({ ...message.error, retryable: false }) } : {}),
          })
        break
      case 'kick':
        if (leadership.leader) {
          pushLane.kick()
          pullLane.kick()
        }
        break
    }
  }

  /** Writes of the outbox this runtime does not show yet become pending writes again, whole. */
  function resume(records: readonly OutboxRecord[]): void {
    if (!runtime) return
    const writes = new Map<string, { store: string; entries: WriteEntry[] }>()
    for (const record of records) {
      const write = writes.get(record.write) ?? { store: record.store, entries: [] }
      write.entries.push(record.entry)
      writes.set(record.write, write)
    }
    for (const { store, entries } of writes.values()) {
      try {
        void runtime.resume(store, entries)
      } catch (error) {
        runtime.diagnostic(
          'sync::resume_failed',
          `outbox entries for '${store}' could not be resumed: ${String(error)}`,
        )
      }
    }
  }

  const api: SyncApi = {
    status: () => status.get(),
    subscribe: (listener) => status.subscribe(listener),
    async flush() {
      await waitStarted()
      const box = requireOutbox()
      if (leadership.leader) pushLane.kick()
      else channel?.post({ t: 'kick' })
      await new Promise<void>((resolve, reject) => {
        const stops = [
          // The first entry the server refuses for good ends the flush with its error...
          box.onSettled(({ result }) => {
            if (result.status !== 'rejected' || result.error.retryable) return
            stop()
            reject(toError(result.error))
          }),
          // ...else an empty outbox does.
          box.subscribe(() => {
            if (box.size > 0) return
            stop()
            resolve()
          }),
        ]
        const stop = () => {
          for (const s of stops) s()
        }
        if (box.size === 0) {
          stop()
          resolve()
        }
      })
    },
    async pull() {
      await waitStarted()
      // Settled by the next pull that starts after now (here, or in the leader tab).
      const done = new Promise<void>((resolve, reject) =>
        pullWaiters.add({ after: pullRuns, resolve, reject }),
      )
      if (leadership.leader) pullLane.kick()
      else channel?.post({ t: 'kick' })
      await done
    },
    outbox: () => outbox?.list() ?? [],
    cursor: () => cursor,
    subscribeSettled(listener) {
      const stops: Array<() => void> = []
      let active = true
      void waitStarted().then(() => {
        if (active && outbox) stops.push(outbox.onSettled(listener))
      })
      return () => {
        active = false
        for (const stop of stops) stop()
      }
    },
  }

  const onOnline = () => {
    status.set({ online: true })
    if (leadership.leader) {
      pushLane.kick()
      pullLane.kick()
    } else channel?.post({ t: 'kick' })
  }
  const onOffline = () => status.set({ online: false })

  return {
    name: 'sync',
    extend: { sync: api },
    setup(ctx) {
      ctx.execution.registerNode(node)
      ctx.policy.registerPolicy({
        name: 'sync-queue',
        queued: true,
        // Reads go to the server (a local node, if any, answers while it is unreachable)...
        route: (kind, nodes) =>
          kind === 'write' ? [node] : [node, ...nodes.filter((n) => n.source === 'local')],
        // ...and writes wait in the outbox as long as it takes: no timeout, no kernel retries.
        writeOptions: { retry: { attempts: 1 }, timeoutMs: 0 },
      })
    },
    start(pluginRuntime) {
      runtime = pluginRuntime
      // The devtools' Sync view reads this API: status, outbox, cursor.
      const withdraw = pluginRuntime.runtime.debug?.expose('sync', api)
      if (withdraw) lifetime.signal.addEventListener('abort', withdraw, { once: true })
      started = open(pluginRuntime)
      return started
    },
    dispose() {
      lifetime.abort()
      poke.stop()
      leadership.dispose()
      channel?.close()
      outbox?.storage.close()
      globalThis.removeEventListener?.('online', onOnline)
      globalThis.removeEventListener?.('offline', onOffline)
    },
  }

  async function open(pluginRuntime: PluginRuntime): Promise<void> {
    const storage = storageFor(options, name)
    const box = new Outbox(storage)
    outbox = box
    push = createPusher({
      outbox: box,
      node: http,
      ...(options.pushTimeoutMs === undefined ? {} : { timeoutMs: options.pushTimeoutMs }),
      conflicts: (store) => options.conflicts?.[store] ?? 'server-wins',
      settled: (record, result) => pusherSettled(record, result),
    })
    box.subscribe(() => status.set({ pending: box.size }))
    const loaded = await storage.load()
    const good: OutboxRecord[] = []
    for (const raw of loaded) {
      const problem = recordProblem(raw)
      if (problem === undefined) good.push(raw as OutboxRecord)
      else {
        await storage.quarantine(raw, problem)
        pluginRuntime.diagnostic(
          'sync::quarantined',
          `an outbox record was set aside (${problem}); it is kept in quarantine`,
          raw,
        )
      }
    }
    box.add(good)
    resume(good)
    if (storage.shared) {
      channel = tabChannel(name, receive)
      leadership = elect({ name, ...(options.locks === undefined ? {} : { locks: options.locks }) })
    }
    const lead = (leader: boolean) => {
      status.set({ leader })
      if (!leader) {
        poke.stop()
        return
      }
      // A new leader reads the outbox again: another tab may have appended while it followed.
      void storage.load().then((records) => {
        const fresh = records.filter(
          (raw) => recordProblem(raw) === undefined && !box.has((raw as OutboxRecord).entry.entryId),
        )
        box.add(fresh as OutboxRecord[])
        resume(fresh as OutboxRecord[])
        pushLane.kick()
      })
      pullLane.kick()
      if (options.poke !== false) poke.start()
    }
    leadership.onChange(lead)
    lead(leadership.leader)
    status.subscribe((s) => {
      if (leadership.leader)
        channel?.post({
          t: 'status',
          online: s.online,
          connected: s.connected,
          pushing: s.pushing,
          ...(s.lastError ? { error: { code: s.lastError.code, message: s.lastError.message } } : {}),
        })
    })
    const interval = options.pullIntervalMs ?? 60_000
    if (interval > 0) {
      const timer = setInterval(() => pullLane.kick(), interval)
      ;(timer as { unref?: () => void }).unref?.()
      lifetime.signal.addEventListener('abort', () => clearInterval(timer), { once: true })
    }
    globalThis.addEventListener?.('online', onOnline)
    globalThis.addEventListener?.('offline', onOffline)
  }

  function pusherSettled(record: OutboxRecord, result: EntryResult): void {
    channel?.post({ t: 'settled', entryId: record.entry.entryId, result })
    if (result.status === 'rejected' && !result.error.retryable) report(toError(result.error))
  }
}

function storageFor(options: SyncOptions, name: string): OutboxStorage {
  const choice = options.outbox ?? ((options.indexedDB ?? globalThis.indexedDB) ? 'indexeddb' : 'memory')
  if (choice === 'memory') return memoryOutbox()
  if (choice === 'indexeddb')
    return indexedDbOutbox({ name, ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}) })
  return choice
}

/** An error as another tab or a result carried it, back as an AtomaError like every error of the API. */
function toError(info: { code: string; message: string; retryable?: boolean }): AtomaError {
  return new AtomaError(info.code as AtomaError['code'], info.message, { retryable: info.retryable ?? false })
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
