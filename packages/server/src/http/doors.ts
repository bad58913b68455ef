import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from '../errors.js'

/** Cross-origin access for browsers (off unless configured). */
export interface CorsOptions {
  /** Origins allowed to call the server from another origin, e.g. `https://app.example.com`. */
  origins: string[]
  /** Allow cookies and HTTP authentication on those calls; default false. */
  credentials?: boolean
  /** Request headers allowed besides `authorization` and `content-type`. */
  headers?: string[]
  /** How long a browser may cache a preflight answer; default 600 s. */
  maxAgeSec?: number
}

export interface DoorsOptions {
  /** Host headers served besides the defaults: `name` (any port) or `name:port`. */
  allowedHosts?: string[]
  /** Origins accepted without CORS headers (a proxy in front serving the app from another origin). */
  allowedOrigins?: string[]
  cors?: CorsOptions | false
  /** Headers a protocol the server speaks needs besides the defaults (Connect's): sent, and read by the page. */
  protocolHeaders?: { allowed: readonly string[]; exposed: readonly string[] }
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]']
const ORIGIN = /^https?:\/\/[^/\s]+$/i
const HEADER = /^[A-Za-z0-9-]{1,64}$/

/**
 * The checks every request passes before anything else. The Host header must name this server
 * (by default its listen address or a loopback name, with its port): a page on a domain that an
 * attacker pointed at 127.0.0.1 (DNS rebinding) sends its own domain as Host and gets 421. An
 * Origin header, when present, must be this server's own (the Host it asked for), an allowed
 * origin or a CORS origin: anything else gets 403 before it can spend work or see an answer.
 */
export class Doors {
  private readonly named: Set<string>
  private readonly origins: Set<string>
  private readonly cors: Required<CorsOptions> | undefined
  private readonly allowedHeaders: string
  private readonly exposedHeaders: string
  private hosts: Set<string> = new Set()

  constructor(
    private readonly listenHost: string,
    options: DoorsOptions,
  ) {
    this.named = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase()))
    for (const host of this.named) {
      if (!/^[a-z0-9.[\]:-]{1,253}$/.test(host))
        throw new Error(`allowedHosts: ${JSON.stringify(host)} is not a host name`)
    }
    const cors = options.cors === false || options.cors === undefined ? undefined : options.cors
    this.cors = cors && {
      origins: cors.origins,
      credentials: cors.credentials ?? false,
      headers: cors.headers ?? [],
      maxAgeSec: cors.maxAgeSec ?? 600,
    }
    const origins = [...(options.allowedOrigins ?? []), ...(this.cors?.origins ?? [])]
    for (const origin of origins) {
      if (!ORIGIN.test(origin))
        throw new Error(`${JSON.stringify(origin)} is not an origin such as "https://app.example.com"`)
    }
    for (const header of this.cors?.headers ?? []) {
      if (!HEADER.test(header))
        throw new Error(`cors.headers: ${JSON.stringify(header)} is not a header name`)
    }
    this.origins = new Set(origins.map((origin) => origin.toLowerCase()))
    const protocol = options.protocolHeaders ?? { allowed: [], exposed: [] }
    const allowed = ['authorization', 'content-type', ...protocol.allowed, ...(this.cors?.headers ?? [])]
    this.allowedHeaders = [...new Set(allowed.map((header) => header.toLowerCase()))].join(', ')
    this.exposedHeaders = ['retry-after', ...protocol.exposed.map((header) => header.toLowerCase())].join(
      ', ',
    )
  }

  /** The port the server listens on, known once it does. */
  setPort(port: number): void {
    const names = [this.listenHost.includes(':') ? `[${this.listenHost}]` : this.listenHost, ...LOOPBACK]
    this.hosts = new Set(
      names.flatMap((name) => [`${name.toLowerCase()}:${port}`, ...(port === 80 ? [name] : [])]),
    )
  }

  /** Throws the 421 or 403 of a request that may not come in; sets the CORS headers of one that may. */
  admit(req: IncomingMessage, res: ServerResponse): void {
    const host = (req.headers.host ?? '').toLowerCase()
    if (!this.hostAllowed(host)) {
      throw new HttpError(
        421,
        'FORBIDDEN',
        `this server does not answer for the host ${JSON.stringify(host.slice(0, 100))}`,
      )
    }
    const origin = req.headers.origin
    if (origin === undefined) return
    const normalized = origin.toLowerCase()
    const sameOrigin = normalized.replace(/^https?:\/\//, '') === host
    if (this.cors?.origins.some((allowed) => allowed.toLowerCase() === normalized)) {
      res.setHeader('access-control-allow-origin', origin)
      res.setHeader('access-control-expose-headers', this.exposedHeaders)
      if (this.cors.credentials) res.setHeader('access-control-allow-credentials', 'true')
      res.setHeader('vary', 'origin')
    } else if (!sameOrigin && !this.origins.has(normalized)) {
      throw new HttpError(
        403,
        'FORBIDDEN',
        `requests from the origin ${JSON.stringify(origin.slice(0, 100))} are not allowed`,
      )
    }
  }

  /** Answers a CORS preflight (`OPTIONS`), which admit() already let in. */
  preflight(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin
    if (this.cors === undefined || origin === undefined || !res.hasHeader('access-control-allow-origin')) {
      throw new HttpError(
        405,
        'VALIDATION',
        'OPTIONS is only answered to CORS preflights from allowed origins',
      )
    }
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': this.allowedHeaders,
      'access-control-max-age': String(this.cors.maxAgeSec),
      'content-length': '0',
    })
    res.end()
  }

  private hostAllowed(host: string): boolean {
    if (this.hosts.has(host) || this.named.has(host)) return true
    const name = host.replace(/:\d+$/, '')
    return this.named.has(name)
  }
}
