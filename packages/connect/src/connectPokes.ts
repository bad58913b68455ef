import { fromErrorInfo } from '@atoma/runtime'
import type { PokeEvent } from '@atoma/runtime/protocol'
import { ConnectError, createClient } from '@connectrpc/connect'
import { type ConnectBackendOptions, connectTransport, requestHeaders } from './connectBackend.js'
import { errorInfoOf } from './errors/connectErrors.js'
import { AtomaService } from './gen/atoma/v1/atoma_pb.js'

/** What `connectPokes` listens to. */
export interface PokesOptions {
  /** The stores to hear about (default: every store the caller may read). */
  stores?: readonly string[]
  /** Ends the stream: the iteration then finishes without an error. */
  signal?: AbortSignal
  /**
   * Called once the stream is open (its first message, which names no store, has come): pull then,
   * to catch up on what changed before. A stream the server refuses never opens.
   */
  onOpen?: () => void
}

/**
 * The server's change notifications over the `Subscribe` stream: each poke names the stores that
 * changed (pull to see what), as `GET /poke` does over Server-Sent Events. Messages naming no store
 * (the first, then heartbeats) only say the stream is alive and are not yielded. A stream that
 * fails throws the `AtomaError` its code or detail says; reconnecting, with backoff, is the
 * caller's (the sync orchestrator's poke lane, with `sync({ poke: (request) => connectPokes(…, request) })`).
 */
export async function* connectPokes(
  options: ConnectBackendOptions,
  { stores = [], signal, onOpen }: PokesOptions = {},
): AsyncGenerator<PokeEvent, void, undefined> {
  const client = createClient(AtomaService, connectTransport(options))
  // The call's own signal, aborted with the caller's and whenever this iteration ends (a consumer's
  // `break` included): Connect's stream has no `return()`, so leaving its loop alone would not end it.
  const call = new AbortController()
  const abort = () => call.abort()
  signal?.addEventListener('abort', abort, { once: true })
  if (signal?.aborted) call.abort()
  let open = false
  try {
    const stream = client.subscribe(
      { stores: [...stores] },
      { signal: call.signal, headers: await requestHeaders(options) },
    )
    for await (const poke of stream) {
      // An abort the transport let pass (undici can go on reading a body after it, and heartbeats
      // would then keep this loop going for good): the iteration ends at the next message.
      if (signal?.aborted) return
      if (!open) {
        open = true
        onOpen?.()
      }
      if (poke.stores.length > 0) yield { stores: [...poke.stores] }
    }
  } catch (error) {
    if (signal?.aborted) return
    throw fromErrorInfo(errorInfoOf(ConnectError.from(error)))
  } finally {
    signal?.removeEventListener('abort', abort)
    call.abort()
  }
}
