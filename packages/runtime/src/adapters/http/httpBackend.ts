import { AtomaError } from '../../errors.js'
import type { ExecutionNode, NodeTrace } from '../../execution/ports.js'
import type { AtomaPlugin } from '../../plugin.js'
import { preview, type RemoteOpInput, remoteNode } from '../remote/remoteNode.js'
import { BatchEngine, type BatchOptions } from './batchEngine.js'
import { excerpt, mapHttpStatus, networkError } from './mapHttpError.js'
import type { OpsResponse, RemoteOp, RemoteOpResult } from './protocol.js'

/** Request headers for every request: an object, or a function giving them each time. */
export type HeadersOption =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>)

/** The options of `httpBackend`; only `baseUrl` is required. */
export interface HttpBackendOptions {
  /** Where the server's envelope endpoint lives: requests go to `POST {baseUrl}/ops`. */
  baseUrl: string
  /** Coalescing of ops issued in the same tick; `false` sends each op alone. */
  batch?: BatchOptions | false
  /** Node id in routes and devtools (default `http`). */
  id?: string
  /** Extra request headers, or a function called for every request (a fresh token each time). */
  headers?: HeadersOption
  /**
   * Called when the server answers 401: refresh the credentials `headers` gives and resolve `true`
   * to send the request once more. Otherwise (or on a second 401) it fails `UNAUTHENTICATED`.
   */
  onUnauthenticated?: (error: AtomaError) => boolean | Promise<boolean>
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch
}

type Pending = { op: RemoteOpInput; signal: AbortSignal }
interface Answer {
  result: RemoteOpResult
  trace: NodeTrace | undefined
}

/**
 * The HTTP adapter: carries the remote ops of the shared mapping (`remoteNode`: kernel requests to
 * ops and back, and the checks of every answer) in the wire envelope, coalescing the ops of one
 * tick into one POST. A body that is not the envelope is refused as a malformed answer
 * (`TRANSPORT`, not retryable: asking again gets the same answer).
 */
export function httpBackend(options: HttpBackendOptions): AtomaPlugin {
  return {
    name: 'http',
    setup(ctx) {
      ctx.execution.registerNode(httpNode(options, { trace: ctx.debug }))
    },
  }
}

/**
 * The node `httpBackend` registers, for plugins that compose it (the sync orchestrator pushes and
 * reads through one). `trace`: fill `NodeTrace` for devtools.
 */
export function httpNode(options: HttpBackendOptions, { trace: tracing = false } = {}): ExecutionNode {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/ops`
  let lastOpId = 0

  async function headers(): Promise<Record<string, string>> {
    const extra = typeof options.headers === 'function' ? await options.headers() : options.headers
    return { 'content-type': 'application/json', ...extra }
  }

  /** One POST, refreshed and sent once more on a 401 when the app's hook says so. */
  async function send(body: string, signal: AbortSignal): Promise<{ response: Response; text: string }> {
    const doFetch = options.fetch ?? globalThis.fetch
    for (let attempt = 1; ; attempt++) {
      let response: Response
      let text: string
      try {
        response = await doFetch(url, { method: 'POST', headers: await headers(), body, signal })
        text = await response.text()
      } catch (error) {
        if (signal.aborted) throw error
        throw networkError(url, error)
      }
      if (response.ok) return { response, text }
      const failure = mapHttpStatus(response.status, text, url, response.headers.get('retry-after'))
      if (failure.code === 'UNAUTHENTICATED' && attempt === 1 && (await options.onUnauthenticated?.(failure)))
        continue
      throw Object.assign(
        failure,
        tracing ? { trace: { status: response.status, response: excerpt(text) } } : {},
      )
    }
  }

  async function post(queued: Pending[]): Promise<(Answer | undefined)[]> {
    // Callers that gave up before the batch left are not sent at all (they were already answered).
    const batch = queued.filter((p) => !p.signal.aborted)
    if (batch.length === 0) return queued.map(() => undefined)
    const ops = batch.map(({ op }) => ({ ...op, opId: `o${++lastOpId}` }) as RemoteOp)
    // One request serves several callers: it is aborted only when every one of them gave up.
    const controller = new AbortController()
    let live = batch.length
    for (const { signal } of batch)
      signal.addEventListener('abort', () => --live === 0 && controller.abort(signal.reason), { once: true })
    const { response, text } = await send(JSON.stringify({ ops }), controller.signal)
    const results = parseResults(text, ops)
    return queued.map((p) => {
      const index = batch.indexOf(p)
      const result = results[index]
      if (!result) return undefined
      const trace = tracing
        ? { status: response.status, request: preview(ops[index]), response: preview(result) }
        : undefined
      return { result, trace }
    })
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
      : new BatchEngine<Pending, Answer | undefined>(post, options.batch ?? {})

  async function call(op: RemoteOpInput, signal: AbortSignal): Promise<Answer> {
    if (signal.aborted) throw signal.reason
    const pending = { op, signal }
    const sent = engine ? engine.enqueue(pending) : post([pending]).then((r) => r[0])
    // The caller's abort ends its wait at once, even if its batch goes on for the others.
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      sent.then((answer) => (answer ? resolve(answer) : reject(signal.reason)), reject)
    })
  }

  return remoteNode({ id: options.id ?? 'http', send: call })
}
