import { AtomaError, type ErrorInfo, fromErrorInfo } from '../../errors.js'
import type { AtomaPlugin } from '../../execution/plugin.js'
import type { EntryResult, ExecutionNode, NodeQueryResult, NodeWriteResult } from '../../execution/ports.js'
import type { Id } from '../../query/types.js'
import { BatchEngine, type BatchOptions } from './batchEngine.js'
import { excerpt, mapHttpStatus, networkError } from './mapHttpError.js'
import type { OpsResponse, RemoteOp, RemoteOpResult } from './protocol.js'

/** The options of `httpBackend`; only `baseUrl` is required. */
export interface HttpBackendOptions {
  /** Where the server's envelope endpoint lives: requests go to `POST {baseUrl}/ops`. */
  baseUrl: string
  /** Coalescing of ops issued in the same tick; `false` sends each op alone. */
  batch?: BatchOptions | false
  /** Node id in routes and devtools (default `http`). */
  id?: string
  /** Extra request headers (auth). */
  headers?: Record<string, string>
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch
}

type WithoutId<T> = T extends unknown ? Omit<T, 'opId'> : never
type Pending = { op: WithoutId<RemoteOp>; signal: AbortSignal }

/** The HTTP adapter: maps kernel requests to the wire envelope and back (protocol stays here). */
export function httpBackend(options: HttpBackendOptions): AtomaPlugin {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/ops`
  let lastOpId = 0

  async function post(queued: Pending[]): Promise<(RemoteOpResult | undefined)[]> {
    // Callers that gave up before the batch left are not sent at all (they were already answered).
    const batch = queued.filter((p) => !p.signal.aborted)
    if (batch.length === 0) return queued.map(() => undefined)
    const ops = batch.map(({ op }) => ({ ...op, opId: `o${++lastOpId}` }) as RemoteOp)
    // One request serves several callers: it is aborted only when every one of them gave up.
    const controller = new AbortController()
    let live = batch.length
    for (const { signal } of batch)
      signal.addEventListener('abort', () => --live === 0 && controller.abort(signal.reason), { once: true })
    const doFetch = options.fetch ?? globalThis.fetch
    let response: Response
    let body: string
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ ops }),
        signal: controller.signal,
      })
      body = await response.text()
    } catch (error) {
      if (controller.signal.aborted) throw error
      throw networkError(url, error)
    }
    if (!response.ok) throw mapHttpStatus(response.status, body, url)
    const results = parseResults(body, ops)
    return queued.map((p) => results[batch.indexOf(p)])
  }

  function parseResults(body: string, ops: RemoteOp[]): RemoteOpResult[] {
    const malformed = (why: string) =>
      new AtomaError('TRANSPORT', `POST ${url} answered a malformed body (${why}): ${excerpt(body)}`, {
        retryable: false,
      })
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      throw malformed('not JSON')
    }
    const results = (parsed as Partial<OpsResponse> | null)?.results
    if (!Array.isArray(results) || results.length !== ops.length)
      throw malformed(`expected ${ops.length} result(s)`)
    for (const [i, result] of results.entries()) {
      const r = result as Partial<RemoteOpResult> | null
      if (!r || typeof r !== 'object' || r.opId !== ops[i]?.opId || typeof r.ok !== 'boolean')
        throw malformed(`result ${i} does not answer op ${ops[i]?.opId}`)
    }
    return results as RemoteOpResult[]
  }

  const engine =
    options.batch === false
      ? undefined
      : new BatchEngine<Pending, RemoteOpResult | undefined>(post, options.batch ?? {})

  async function call(op: WithoutId<RemoteOp>, signal: AbortSignal): Promise<RemoteOpResult> {
    if (signal.aborted) throw signal.reason
    const pending = { op, signal }
    const sent = engine ? engine.enqueue(pending) : post([pending]).then((r) => r[0])
    // The caller's abort ends its wait at once, even if its batch goes on for the others.
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      sent.then((result) => (result ? resolve(result) : reject(signal.reason)), reject)
    })
  }

  const opFailure = (result: RemoteOpResult, store: string): AtomaError | undefined => {
    if (result.ok) return undefined
    const info = result.error as ErrorInfo | undefined
    if (!info || typeof info.code !== 'string')
      return new AtomaError('TRANSPORT', `store '${store}': the server failed the op without an error`)
    return fromErrorInfo({ ...info, message: `store '${store}': ${info.message}` }, { store })
  }

  const node: ExecutionNode = {
    id: options.id ?? 'http',
    source: 'remote',
    async query({ store, query, signal }): Promise<NodeQueryResult> {
      const result = await call({ kind: 'query', store, query }, signal)
      const failure = opFailure(result, store)
      if (failure) throw failure
      if (result.ok && result.kind === 'query' && Array.isArray(result.items)) {
        const versions = new Map<Id, number>()
        for (const item of result.items) versions.set(item.id, item.version)
        return { items: result.items.map((item) => item.value), versions }
      }
      throw new AtomaError(
        'TRANSPORT',
        `store '${store}': the server answered a query with a malformed result`,
      )
    },
    async write({ store, entries, signal }): Promise<NodeWriteResult> {
      const result = await call({ kind: 'write', store, entries }, signal)
      const failure = opFailure(result, store)
      if (failure) throw failure
      if (!result.ok || result.kind !== 'write' || !Array.isArray(result.items))
        throw new AtomaError(
          'TRANSPORT',
          `store '${store}': the server answered a write with a malformed result`,
        )
      const items = result.items.map(
        (item): EntryResult =>
          item.status === 'confirmed'
            ? {
                entryId: item.entryId,
                status: 'confirmed',
                version: item.version,
                ...(item.value === null || item.value === undefined ? {} : { value: item.value }),
              }
            : { entryId: item.entryId, status: 'rejected', error: item.error },
      )
      return { status: result.status, items }
    },
  }

  return {
    name: 'http',
    setup(ctx) {
      ctx.execution.registerNode(node)
    },
  }
}
