/** A poke stream read the way @atoma/sync reads it: fetch, `accept: text/event-stream`, the body's reader. */
export interface PokeClient {
  status: number
  headers: Headers
  /** Everything received so far. */
  text(): string
  /** The `event: poke` blocks received so far, their data parsed. */
  pokes(): unknown[]
  /** Resolves once `check(text())` holds; rejects when the stream ends first or after `waitMs`. */
  until(check: (text: string) => boolean, waitMs?: number): Promise<void>
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>
  close(): void
}

/** Opens `url` (the `/poke` endpoint); a non-2xx answer resolves too, with its status and body as `text()`. */
export async function openPoke(url: string, headers: Record<string, string> = {}): Promise<PokeClient> {
  const controller = new AbortController()
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  })
  let text = ''
  let done = false
  const waiters = new Set<() => void>()
  const wake = () => {
    for (const waiter of waiters) waiter()
  }
  const decoder = new TextDecoder()
  const ended = (async () => {
    const reader = response.body?.getReader()
    try {
      for (;;) {
        const chunk = await reader?.read()
        if (!chunk || chunk.done) break
        text += decoder.decode(chunk.value, { stream: true })
        wake()
      }
    } catch {
      // Aborted by close(), or the connection broke: the stream is over either way.
    } finally {
      done = true
      wake()
    }
  })()
  return {
    status: response.status,
    headers: response.headers,
    text: () => text,
    pokes: () =>
      text
        .split('\n\n')
        .filter((block) => block.startsWith('event: poke\n'))
        .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6))),
    until(check, waitMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`waited ${waitMs} ms for the poke stream; got ${JSON.stringify(text)}`)),
          waitMs,
        )
        const test = () => {
          if (check(text)) finish()
          else if (done) finish(new Error(`the poke stream ended; got ${JSON.stringify(text)}`))
        }
        const finish = (error?: Error) => {
          clearTimeout(timer)
          waiters.delete(test)
          if (error) reject(error)
          else resolve()
        }
        waiters.add(test)
        test()
      })
    },
    ended,
    close: () => controller.abort(),
  }
}

/** How many times `needle` occurs in `text`. */
export function count(text: string, needle: string): number {
  return text.split(needle).length - 1
}
