import { AtomaError, isAtomaError } from '@atoma/runtime'
import type { PokeEvent } from '@atoma/runtime/protocol'
import type { Backoff } from '../backoff.js'
import type { EventStream, Wire } from '../wire.js'

/** What a poke source is asked for: one connection's worth of pokes. */
export interface PokeRequest {
  /** The stores the orchestrator pulls. */
  stores: readonly string[]
  /** Aborted when the orchestrator stops listening: end the stream, quietly. */
  signal: AbortSignal
  /**
   * Call once the stream is established (the status says `connected` from then): the orchestrator
   * pulls then, to catch up on what changed while it was not listening. The first event counts too.
   */
  onOpen: () => void
}

/**
 * Where pokes come from, when not `GET {baseUrl}/poke`: one stream per call, its events naming the
 * stores that changed, e.g. Connect's `Subscribe`: `(request) => connectPokes(options, request)`.
 * A stream that ends or throws is reconnected with backoff; what it yields is checked, not trusted.
 */
export type PokeSource = (request: PokeRequest) => AsyncIterable<PokeEvent>

export interface PokeHandlers {
  /** The server says these stores changed (a malformed poke says "something changed": pull anyway). */
  poke(stores: readonly string[] | undefined): void
  /** The stream opened (then a pull catches up on what it missed) or closed, with why. */
  state(connected: boolean, error?: AtomaError): void
}

/**
 * The poke lane's connection: it opens a stream from `open`, dispatches each event it yields, and
 * reconnects forever with backoff; a stream that ends or breaks is just a reason to reconnect.
 */
export function pokeStream(
  open: (request: Omit<PokeRequest, 'stores'>) => AsyncIterable<unknown>,
  handlers: PokeHandlers,
  retry: Backoff,
  sleep: (ms: number, signal: AbortSignal) => Promise<void>,
) {
  let controller: AbortController | undefined

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // Once per connection; a source that yields a poke before saying it is open is open.
      let opened = false
      const onOpen = () => {
        if (opened || signal.aborted) return
        opened = true
        retry.reset()
        handlers.state(true)
      }
      try {
        for await (const event of open({ signal, onOpen })) {
          // Stopped: nothing more is dispatched, and leaving the loop ends the source's stream.
          if (signal.aborted) return
          onOpen()
          dispatch(event)
        }
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

  function dispatch(event: unknown): void {
    const stores = (event as { stores?: unknown } | null)?.stores
    if (Array.isArray(stores) && stores.every((s) => typeof s === 'string')) {
      handlers.poke(stores)
      return
    }
    const shown = typeof event === 'string' ? event : JSON.stringify(event)
    handlers.state(
      true,
      new AtomaError('TRANSPORT', `the server sent a malformed poke: ${String(shown).slice(0, 100)}`),
    )
    handlers.poke(undefined)
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

/**
 * `GET {baseUrl}/poke`: Server-Sent Events over fetch (not EventSource: it cannot send an
 * Authorization header), on the same origin and path prefix as the other endpoints, so it passes
 * any proxy the app already has. Yields each `poke` event's data, parsed (its text when it is not
 * JSON, for the lane to report).
 */
export function eventStreamPokes(wire: Wire) {
  return async function* ({ signal, onOpen }: Omit<PokeRequest, 'stores'>): AsyncGenerator<unknown> {
    const reader = await wire.stream('/poke', signal)
    onOpen()
    const cancel = () => void reader.cancel().catch(() => {})
    signal.addEventListener('abort', cancel, { once: true })
    try {
      yield* events(reader)
    } finally {
      signal.removeEventListener('abort', cancel)
    }
  }
}

/** Reads the stream to its end, yielding each `poke` event as its blank line arrives. */
async function* events(reader: EventStream): AsyncGenerator<unknown> {
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
      const data = pokeData(buffer.slice(0, end.at))
      if (data !== undefined) yield data
      buffer = buffer.slice(end.at + end.length)
      end = blankLine(buffer)
    }
  }
}

/** The data of a `poke` event block, parsed when it is JSON; undefined for comments and other events. */
function pokeData(block: string): unknown {
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
  if (event !== 'poke') return undefined
  const text = data.join('\n')
  try {
    return JSON.parse(text)
  } catch {
    // Not JSON: the lane reports it, and treats it as "something changed".
    return text
  }
}

function blankLine(text: string): { at: number; length: number } | undefined {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(text)
  return match ? { at: match.index, length: match[0].length } : undefined
}
