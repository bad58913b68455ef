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
  let open = false
  try {
    const stream = client.subscribe(
      { stores: [...stores] },
      { signal, headers: await requestHeaders(options) },
    )
    for await (const poke of stream) {
      if (!open) {
        open = true
        onOpen?.()
      }
      if (poke.stores.length > 0) yield { stores: [...poke.stores] }
    }
  } catch (error) {
    if (signal?.aborted) return
    throw fromErrorInfo(errorInfoOf(ConnectError.from(error)))
  }
}
