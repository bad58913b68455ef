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

  async function request(
    path: string,
    init: RequestInit & { headers: Record<string, string> },
  ): Promise<Response> {
    const url = `${base}${path}`
    for (let attempt = 1; ; attempt++) {
      let response: Response
      try {
        response = await doFetch()(url, { ...init, headers: await headers(init.headers) })
      } catch (error) {
        if (init.signal?.aborted) throw error
        throw networkError(url, error)
      }
      if (response.ok) return response
      const text = await response.text().catch(() => '')
      const failure = mapHttpStatus(response.status, text, url, response.headers.get('retry-after'))
      if (failure.code === 'UNAUTHENTICATED' && attempt === 1 && (await options.onUnauthenticated?.(failure)))
        continue
      throw failure
    }
  }

  return {
    /** `POST {base}{path}` with a JSON body; the parsed answer, or a TRANSPORT error if it is not JSON. */
    async postJson(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
      const response = await request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      })
      const text = await response.text()
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
    async stream(path: string, signal: AbortSignal): Promise<ReadableStreamDefaultReader<Uint8Array>> {
      const response = await request(path, {
        method: 'GET',
        headers: { accept: 'text/event-stream' },
        signal,
      })
      const type = response.headers.get('content-type') ?? ''
      if (!type.startsWith('text/event-stream') || !response.body)
        throw new AtomaError(
          'TRANSPORT',
          `GET ${base}${path} answered ${type || 'no content type'}, not an event stream`,
        )
      return response.body.getReader()
    },
  }
}

export type Wire = ReturnType<typeof createWire>
