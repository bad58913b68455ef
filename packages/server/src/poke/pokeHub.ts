import type { ServerResponse } from 'node:http'
import type { PokeEvent } from '@atoma/runtime/protocol'
import { HttpError } from '../errors.js'

/** How a `PokeHub` runs its streams; the server fills it from `ServerOptions.poke` and `limits`. */
export interface PokeOptions {
  /** A `: ping` comment this often keeps proxies and the client from taking a quiet stream for a dead one. Default 15 s. */
  heartbeatMs: number
  /** Changes within this long go out as one poke. Default 20 ms. */
  coalesceMs: number
  /** Open streams past which a new one is refused with 429 (`limits.maxPokeStreams`). */
  maxStreams: number
  /** The same, per principal (`limits.maxPokeStreamsPerPrincipal`). */
  maxStreamsPerPrincipal: number
}

export const DEFAULT_POKE_OPTIONS: Pick<PokeOptions, 'heartbeatMs' | 'coalesceMs'> = {
  heartbeatMs: 15_000,
  coalesceMs: 20,
}

/** A client that does not read its stream is cut off once this much waits for it (it reconnects). */
const MAX_BUFFERED_BYTES = 64 * 1024

/** One open poke stream, whatever carries it: Server-Sent Events here, Connect's `Subscribe` (connect/). */
export interface PokeSink {
  /** These stores changed. */
  poke(stores: readonly string[]): void
  /** Nothing changed for a while: show the stream is alive (proxies drop quiet connections). */
  ping(): void
  /** The server is closing: end the stream (its client reconnects). */
  end(): void
}

interface Stream {
  sink: PokeSink
  principal: string
}

/**
 * The open poke streams of this process, which say which stores changed, never what (the pull is
 * where read rules apply): Server-Sent Events (`open`) and Connect streams (`attach`), counted
 * together against one set of limits. Changes are gathered for `coalesceMs` and go out as one
 * poke to every stream; those made here also go to `publish`, which tells the other processes on
 * the database (pokeRelay), whose own changes come in through `changed(…, false)`. One timer
 * coalesces and one beats the heart, whatever the number of streams.
 */
export class PokeHub {
  private readonly streams = new Set<Stream>()
  private readonly perPrincipal = new Map<string, number>()
  private readonly local = new Set<string>()
  private readonly remote = new Set<string>()
  private flushing: NodeJS.Timeout | undefined
  private heartbeat: NodeJS.Timeout | undefined
  private closed = false
  private drained: (() => void) | undefined

  constructor(
    private readonly options: PokeOptions,
    private readonly publish: (stores: readonly string[]) => void,
  ) {}

  /** Starts the event stream on `res`; throws 429 past the limits, 503 once closing. */
  open(res: ServerResponse, principal: string): void {
    // Gone while it was being authenticated: its 'close' has passed, so it would never be counted out.
    if (!this.closed && (res.destroyed || res.socket === null || res.socket.destroyed)) return
    const detach = this.attach(principal, eventStream(res))
    res.once('close', detach)
    res.socket?.setNoDelay(true)
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: a proxy must neither cache nor compress (and so buffer) the stream.
      'cache-control': 'no-cache, no-transform',
      // nginx (and proxies that copy it) buffer responses unless told not to.
      'x-accel-buffering': 'no',
    })
    res.flushHeaders()
    res.write(': connected\n\n')
  }

  /**
   * Counts `sink` in and pokes it from now on; returns what counts it out (once, however often it
   * is called), to call when the stream's response is over. Throws 429 past the limits, 503 once
   * closing.
   */
  attach(principal: string, sink: PokeSink): () => void {
    if (this.closed) throw new HttpError(503, 'TRANSPORT', 'the server is closing', { retryable: true })
    const { maxStreams, maxStreamsPerPrincipal } = this.options
    const mine = this.perPrincipal.get(principal) ?? 0
    if (this.streams.size >= maxStreams || mine >= maxStreamsPerPrincipal) {
      const which =
        mine >= maxStreamsPerPrincipal
          ? `this principal has ${mine} poke streams open (limits.maxPokeStreamsPerPrincipal)`
          : `the server has ${this.streams.size} poke streams open (limits.maxPokeStreams)`
      throw new HttpError(429, 'RATE_LIMITED', `too many poke streams: ${which}`, {
        retryable: true,
        retryAfterMs: 5000,
        headers: { 'retry-after': '5' },
      })
    }
    const stream: Stream = { sink, principal }
    this.streams.add(stream)
    this.perPrincipal.set(principal, mine + 1)
    this.heartbeat ??= setInterval(() => {
      for (const each of this.streams) each.sink.ping()
    }, this.options.heartbeatMs)
    this.heartbeat.unref()
    return () => this.remove(stream)
  }

  /** `store` changed: by a write of this process (`here`), or of another one (pokeRelay). */
  changed(stores: Iterable<string>, here: boolean): void {
    if (this.closed) return
    for (const store of stores) (here ? this.local : this.remote).add(store)
    this.flushing ??= setTimeout(() => this.flush(), this.options.coalesceMs)
  }

  /**
   * Ends every stream (the clients reconnect, to this server's successor) and refuses new ones;
   * resolves once each is counted out, its response over, so that its connection is idle when
   * the HTTP server closes (an active one would keep it open until its client lets go).
   */
  close(): Promise<void> {
    this.closed = true
    clearTimeout(this.flushing)
    clearInterval(this.heartbeat)
    for (const stream of this.streams) stream.sink.end()
    return this.streams.size === 0 ? Promise.resolve() : new Promise((resolve) => (this.drained = resolve))
  }

  private flush(): void {
    this.flushing = undefined
    const local = [...this.local]
    const stores = [...new Set([...local, ...this.remote])].sort()
    this.local.clear()
    this.remote.clear()
    for (const stream of this.streams) stream.sink.poke(stores)
    if (local.length > 0) this.publish(local)
  }

  private remove(stream: Stream): void {
    if (!this.streams.delete(stream)) return
    const left = (this.perPrincipal.get(stream.principal) ?? 1) - 1
    if (left > 0) this.perPrincipal.set(stream.principal, left)
    else this.perPrincipal.delete(stream.principal)
    if (this.streams.size === 0) {
      clearInterval(this.heartbeat)
      this.heartbeat = undefined
      this.drained?.()
    }
  }
}

/** Server-Sent Events on `res`: `event: poke` with `{"stores":[…]}`, `: ping` comments. */
function eventStream(res: ServerResponse): PokeSink {
  const write = (text: string) => {
    if (res.writableEnded || res.destroyed) return
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy()
      return
    }
    res.write(text)
  }
  return {
    poke(stores) {
      const event: PokeEvent = { stores: [...stores] }
      write(`event: poke\ndata: ${JSON.stringify(event)}\n\n`)
    },
    ping: () => write(': ping\n\n'),
    end: () => res.end(),
  }
}
