import { AtomaError, type HeadersOption } from '@atoma/runtime'
import { excerpt, mapHttpStatus, networkError } from '@atoma/runtime/http'

export interface WireOptions {
  baseUrl: string
  headers?: HeadersOption
  onUnauthenticated?: (error: AtomaError) => boolean | Promise<boolean>
  fetch?: typeof fetch
}

/**
 * The two requests the sync lanes make beside the ops endpoint, with httpBackend's rules: the
 * headers asked for on every request, one refresh-and-retry on a 401, statuses mapped to the same
 * error codes. Answers are returned raw: the lanes check them.
 */
export function createWire(options: WireOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = () => options.fetch ?? globalThis.fetch

  async function headers(extra: Record<string, string>): Promise<Record<string, string>> {
    const given = typeof options.headers === 'function' ? await options.headers() : options.headers
    return { ...extra, ...given }
  }

  /**
   * One request on a signal of its own, linked to the caller's until `release()`: fetch keeps a
   * listener on the signal it is given for as long as the request lives, and the lanes' signals
   * live as long as the runtime, so handing them over would collect one listener per request.
   */
  async function request(
    path: string,
    init: RequestInit & { headers: Record<string, string> },
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; release(): void }> {
    const url = `${base}${path}`
    const method = init.method ?? 'GET'
    const controller = new AbortController()
    const abort = () => controller.abort(signal?.reason)
    if (signal?.aborted) abort()
    else signal?.addEventListener('abort', abort, { once: true })
    const release = () => signal?.removeEventListener('abort', abort)
    try {
      return { response: await attempt(url, method, init, controller.signal), release }
    } catch (error) {
      release()
      throw error
    }
  }

  async function attempt(
    url: string,
    method: string,
    init: RequestInit & { headers: Record<string, string> },
    signal: AbortSignal,
  ) {
    for (let attempt = 1; ; attempt++) {
      let response: Response
      try {
        response = await doFetch()(url, { ...init, headers: await headers(init.headers), signal })
      } catch (error) {
        if (signal.aborted) throw error
        throw networkError(url, error, method)
      }
      if (response.ok) return response
      const text = await response.text().catch(() => '')
      const failure = mapHttpStatus(response.status, text, url, response.headers.get('retry-after'), method)
      if (failure.code === 'UNAUTHENTICATED' && attempt === 1 && (await options.onUnauthenticated?.(failure)))
        continue
      throw failure
    }
  }

  return {
    /** `POST {base}{path}` with a JSON body; the parsed answer, or a TRANSPORT error if it is not JSON. */
    async postJson(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
      const { response, release } = await request(
        path,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        signal,
      )
      let text: string
      try {
        text = await response.text()
      } finally {
        release()
      }
      try {
        return JSON.parse(text)
      } catch {
        throw new AtomaError(
          'TRANSPORT',
          `POST ${base}${path} answered a body that is not JSON: ${excerpt(text)}`,
        )
      }
    },
    /** `GET {base}{path}` as an event stream: the body's reader. */
    async stream(path: string, signal: AbortSignal): Promise<EventStream> {
      const { response, release } = await request(
        path,
        { method: 'GET', headers: { accept: 'text/event-stream' } },
        signal,
      )
      const type = response.headers.get('content-type') ?? ''
      if (!type.startsWith('text/event-stream') || !response.body) {
        release()
        await response.body?.cancel().catch(() => {})
        throw new AtomaError(
          'TRANSPORT',
          `GET ${base}${path} answered ${type || 'no content type'}, not an event stream`,
        )
      }
      const reader = response.body.getReader()
      return {
        async read() {
          const chunk = await reader.read().catch((error: unknown) => {
            release()
            throw error
          })
          if (chunk.done) release()
          return chunk
        },
        cancel: async () => {
          release()
          await reader.cancel()
        },
      }
    },
  }
}

export type Wire = ReturnType<typeof createWire>

/** An event stream's body, read chunk by chunk; cancelling it (or reading it to its end) ends the request. */
export interface EventStream {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>
  cancel(): Promise<void>
}
