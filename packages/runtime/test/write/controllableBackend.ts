import type { AtomaPlugin, EntryResult, ExecutionNode, Id, Query, WriteEntry } from '@atoma/runtime'

/**
 * A backend whose every call waits until the test says how it ends: confirm, reject, deliver
 * (queries), in any order. It keeps its own "server" data with versions, which tests may change
 * behind the client's back (another client). Not a mock of Atoma: it is a real plugin speaking
 * the node contract, just with the network's timing in the test's hands.
 */
export interface ServerItem {
  value: Record<string, unknown>
  version: number
}

export interface PendingCall {
  kind: 'query' | 'write'
  store: string
  entries: WriteEntry[]
  /** For queries: what the server had when the request arrived (what `confirm` delivers). */
  snapshot: Array<{ id: Id; row: ServerItem }>
  /** For writes, once settled: what the server answered per entry. */
  results?: EntryResult[]
  /** Confirms every entry the server can apply (real checks: missing, exists, version); `normalize` is the server's own touch. */
  confirm(normalize?: (value: Record<string, unknown>) => Record<string, unknown>): void
  /** Rejects every entry with this code. */
  reject(code?: 'REJECTED' | 'CONFLICT' | 'VALIDATION'): void
  /** Fails the call itself (a transport error). */
  fail(message?: string): void
}

export function controllableBackend(options: { id?: string; source?: 'local' | 'remote' } = {}) {
  const server = new Map<string, Map<Id, ServerItem>>()
  const calls: PendingCall[] = []
  const table = (store: string) => {
    let t = server.get(store)
    if (!t) {
      t = new Map()
      server.set(store, t)
    }
    return t
  }
  const copy = <V>(v: V): V => structuredClone(v)

  function applyEntry(
    store: string,
    e: WriteEntry,
    normalize: (value: Record<string, unknown>) => Record<string, unknown> = (v) => v,
  ): EntryResult {
    const rows = table(store)
    const row = rows.get(e.id)
    const reject = (code: 'NOT_FOUND' | 'CONFLICT', message: string): EntryResult => ({
      entryId: e.entryId,
      status: 'rejected',
      error: {
        code,
        message,
        retryable: false,
        ...(row ? { current: copy(row.value), currentVersion: row.version } : {}),
      },
    })
    if (e.op !== 'create' && e.op !== 'upsert' && !row) return reject('NOT_FOUND', `'${e.id}' does not exist`)
    if (e.op === 'create' && row) return reject('CONFLICT', `'${e.id}' exists`)
    if (row && e.baseVersion !== undefined && e.baseVersion !== row.version)
      return reject('CONFLICT', `'${e.id}' is at version ${row.version}, not ${e.baseVersion}`)
    if (e.op === 'delete') {
      rows.delete(e.id)
      return { entryId: e.entryId, status: 'confirmed', version: (row?.version ?? 0) + 1 }
    }
    let value: Record<string, unknown>
    if ((e.op === 'update' || e.op === 'patch') && e.patches && row) {
      value = copy(row.value)
      for (const p of e.patches) {
        const key = p.path[0] as string
        if (p.op === 'remove') delete value[key]
        else value[key] = copy(p.value)
      }
    } else value = copy(e.value as Record<string, unknown>)
    value = normalize(value)
    const version = (row?.version ?? 0) + 1
    rows.set(e.id, { value, version })
    return { entryId: e.entryId, status: 'confirmed', value: copy(value), version }
  }

  const node: ExecutionNode = {
    id: options.id ?? 'controllable',
    source: options.source ?? 'remote',
    query: ({ store, query }) => {
      // The server answers from the data it has when the request arrives; the answer travels later.
      const snapshot = [...table(store)].map(([id, row]) => ({ id, row: copy(row) }))
      void (query as Query)
      return new Promise((resolve, reject) => {
        const call: PendingCall = {
          kind: 'query',
          store,
          entries: [],
          snapshot,
          confirm: () =>
            resolve({
              items: snapshot.map((s) => s.row.value),
              versions: new Map(snapshot.map((s) => [s.id, s.row.version])),
            }),
          reject: () => reject(new Error('query failed')),
          fail: (message = 'network down') => reject(new Error(message)),
        }
        calls.push(call)
      })
    },
    write: ({ store, entries }) =>
      new Promise((resolve, reject) => {
        const call: PendingCall = {
          kind: 'write',
          store,
          entries,
          snapshot: [],
          confirm: (normalize) => {
            const items = entries.map((e) => applyEntry(store, e, normalize))
            call.results = items
            const ok = items.filter((i) => i.status === 'confirmed').length
            resolve({ status: ok === items.length ? 'confirmed' : ok === 0 ? 'rejected' : 'partial', items })
          },
          reject: (code = 'REJECTED') => {
            call.results = entries.map((e) => ({
              entryId: e.entryId,
              status: 'rejected',
              error: { code, message: `server said no to '${e.id}'`, retryable: false },
            }))
            resolve({ status: 'rejected', items: call.results })
          },
          fail: (message = 'network down') => {
            call.results = []
            reject(new Error(message))
          },
        }
        calls.push(call)
      }),
  }

  const plugin: AtomaPlugin = {
    name: 'controllable',
    setup(ctx) {
      ctx.execution.registerNode(node)
      // No retries or timers: the test owns time.
      ctx.policy.registerPolicy({
        name: 'controlled',
        route: (_kind, nodes) => [...nodes],
        options: { retry: { attempts: 1 }, timeoutMs: 0 },
      })
    },
  }

  return {
    plugin,
    calls,
    server,
    table,
    /** Takes call `index` out of the queue (so the test can settle calls in any order). */
    take(index = 0): PendingCall {
      const [call] = calls.splice(index, 1)
      if (!call) throw new Error(`no pending call at ${index}`)
      return call
    },
  }
}

/** Lets every promise chain that can make progress do so. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
