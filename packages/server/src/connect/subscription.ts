import type { ServerResponse } from 'node:http'
import type { PokeEvent } from '@atoma/runtime/protocol'
import type { PokeSink } from '../poke/pokeHub.js'

/**
 * One `Subscribe` stream as a sink of the poke hub. What the hub says is gathered here until the
 * stream can take a message (connect-node asks for the next one only once the last is written),
 * so a client that reads slowly holds a set of store names, never a queue: its pokes merge, as
 * the hub's own coalescing merges changes. The first message names no store and goes at once:
 * connect-node sends a stream's headers with its first message, and the client pulls when the
 * stream opens, to catch up on what changed before.
 */
export class Subscription implements PokeSink {
  private readonly changed = new Set<string>()
  private beat = false
  private ended = false
  private wake: (() => void) | undefined

  /** `stores`: the stores the client asked to hear about (none: all of them). */
  constructor(
    private readonly stores: ReadonlySet<string>,
    private readonly res: ServerResponse,
  ) {}

  poke(stores: readonly string[]): void {
    for (const store of stores) if (this.stores.size === 0 || this.stores.has(store)) this.changed.add(store)
    if (this.changed.size > 0) this.resume()
  }

  ping(): void {
    this.beat = true
    this.resume()
  }

  end(): void {
    this.ended = true
    this.resume()
    // A client that stopped reading holds connect-node in a write that never finishes: the
    // stream could not end and the server's close() would wait for it forever.
    if (this.res.writableNeedDrain) this.res.destroy()
  }

  /** The stream's messages, until the server closes or the client goes (`signal`). */
  async *messages(signal: AbortSignal): AsyncGenerator<PokeEvent> {
    const abort = () => this.resume()
    signal.addEventListener('abort', abort, { once: true })
    try {
      yield { stores: [] }
      while (!this.ended && !signal.aborted) {
        if (this.changed.size > 0) {
          const stores = [...this.changed].sort()
          this.changed.clear()
          // A poke says the stream is alive as well as a heartbeat does.
          this.beat = false
          yield { stores }
        } else if (this.beat) {
          this.beat = false
          yield { stores: [] }
        } else await new Promise<void>((resolve) => (this.wake = resolve))
      }
    } finally {
      signal.removeEventListener('abort', abort)
    }
  }

  private resume(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}
