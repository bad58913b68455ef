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
}

/**
 * The server's change notifications over the `Subscribe` stream: each poke names the stores that
 * changed (pull to see what), as `GET /poke` does over Server-Sent Events. A stream that fails
 * throws the `AtomaError` its code or detail says; reconnecting, with backoff, is the caller's
 * (the sync orchestrator's poke lane).
 */
export async function* connectPokes(
  options: ConnectBackendOptions,
  { stores = [], signal }: PokesOptions = {},
): AsyncGenerator<PokeEvent, void, undefined> {
  const client = createClient(AtomaService, connectTransport(options))
  try {
    const stream = client.subscribe(
      { stores: [...stores] },
      { signal, headers: await requestHeaders(options) },
    )
    for await (const poke of stream) yield { stores: [...poke.stores] }
  } catch (error) {
    if (signal?.aborted) return
    throw fromErrorInfo(errorInfoOf(ConnectError.from(error)))
  }
}
