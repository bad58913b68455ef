import { AtomaError, isAtomaError } from '@atoma/runtime'
import type { Backoff } from '../backoff.js'
import type { EventStream, Wire } from '../wire.js'

export interface PokeHandlers {
  /** The server says these stores changed (a malformed poke says "something changed": pull anyway). */
  poke(stores: readonly string[] | undefined): void
  /** The stream opened (then a pull catches up on what it missed) or closed, with why. */
  state(connected: boolean, error?: AtomaError): void
}

/**
 * Server-Sent Events over fetch (not EventSource: it cannot send an Authorization header), on the
 * same origin and path prefix as the other endpoints, so it passes any proxy the app already has.
 * It reconnects forever with backoff; a stream that ends or breaks is just a reason to reconnect.
 */
export function pokeStream(
  wire: Wire,
  handlers: PokeHandlers,
  retry: Backoff,
  sleep: (ms: number, signal: AbortSignal) => Promise<void>,
) {
  let controller: AbortController | undefined

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const reader = await wire.stream('/poke', signal)
        retry.reset()
        handlers.state(true)
        await read(reader, signal)
        handlers.state(false)
      } catch (error) {
        if (signal.aborted) return
        handlers.state(
          false,
          isAtomaError(error)
            ? error
            : new AtomaError('TRANSPORT', `the poke stream failed: ${String(error)}`),
        )
      }
      if (!signal.aborted) await sleep(retry.fail(), signal)
    }
  }

  async function read(reader: EventStream, signal: AbortSignal): Promise<void> {
    const cancel = () => void reader.cancel().catch(() => {})
    signal.addEventListener('abort', cancel, { once: true })
    try {
      await events(reader)
    } finally {
      signal.removeEventListener('abort', cancel)
    }
  }

  /** Reads the stream to its end, dispatching each event as its blank line arrives. */
  async function events(reader: EventStream): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      // An event ends at a blank line; a huge unterminated "event" is a broken stream.
      if (buffer.length > 64 * 1024)
        throw new AtomaError('TRANSPORT', 'the poke stream sent an event over 64 KiB')
      let end = blankLine(buffer)
      while (end) {
        dispatch(buffer.slice(0, end.at))
        buffer = buffer.slice(end.at + end.length)
        end = blankLine(buffer)
      }
    }
  }

  function dispatch(block: string): void {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line === '' || line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = value
      else if (field === 'data') data.push(value)
    }
    if (event !== 'poke') return
    let stores: readonly string[] | undefined
    try {
      const parsed: unknown = JSON.parse(data.join('\n'))
      const list = (parsed as { stores?: unknown } | null)?.stores
      if (Array.isArray(list) && list.every((s) => typeof s === 'string')) stores = list
    } catch {
      // Not JSON: reported below, and treated as "something changed".
    }
    if (stores === undefined)
      handlers.state(
        true,
        new AtomaError('TRANSPORT', `the server sent a malformed poke: ${data.join(' ').slice(0, 100)}`),
      )
    handlers.poke(stores)
  }

  return {
    start() {
      if (controller) return
      controller = new AbortController()
      void run(controller.signal)
    },
    stop() {
      controller?.abort()
      controller = undefined
    },
  }
}

function blankLine(text: string): { at: number; length: number } | undefined {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(text)
  return match ? { at: match.index, length: match[0].length } : undefined
}
