import {
  AtomaError,
  type AtomaPlugin,
  type ExecutionNode,
  fromErrorInfo,
  type HeadersOption,
} from '@atoma/runtime'
import {
  preview,
  type RemoteAnswer,
  type RemoteOpInput,
  type RemoteOpOutput,
  remoteNode,
} from '@atoma/runtime/remote'
import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf'
import { type CallOptions, ConnectError, createClient, type Transport } from '@connectrpc/connect'
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web'
import { errorInfoOf } from './errors/connectErrors.js'
import {
  AtomaService,
  QueryRequestSchema,
  QueryResponseSchema,
  WriteRequestSchema,
  WriteResponseSchema,
} from './gen/atoma/v1/atoma_pb.js'
import { queryRequest, writeRequest } from './wire/requests.js'
import { type Malformed, queryOutput, writeOutput } from './wire/responses.js'

/** The options of `connectBackend`; only `baseUrl` is required. */
export interface ConnectBackendOptions {
  /** Where the service is mounted: calls go to `{baseUrl}/atoma.v1.AtomaService/{Query,Write,Subscribe}`. */
  baseUrl: string
  /** Protobuf's binary encoding instead of JSON (default `false`: JSON, readable in a network panel). */
  binary?: boolean
  /**
   * `'connect'` (the Connect protocol, default), `'grpc-web'`, or a Connect `Transport` made
   * elsewhere (gRPC over HTTP/2 from `@connectrpc/connect-node`, say), which then decides the
   * protocol, the encoding and the URL itself.
   */
  transport?: 'connect' | 'grpc-web' | Transport
  /** Node id in routes and devtools (default `connect`). */
  id?: string
  /** Extra request headers, or a function called for every call (a fresh token each time). */
  headers?: HeadersOption
  /**
   * Called when the server answers `unauthenticated`: refresh the credentials `headers` gives and
   * resolve `true` to make the call once more. Otherwise (or a second time) it fails `UNAUTHENTICATED`.
   */
  onUnauthenticated?: (error: AtomaError) => boolean | Promise<boolean>
  /** The fetch the built-in transports use (default `globalThis.fetch`). */
  fetch?: typeof fetch
}

/**
 * A remote backend over Connect: the kernel's queries and writes as unary `Query` and `Write`
 * calls of the Atoma service, one call per op (no batching: HTTP/2 carries concurrent calls on one
 * connection). The mapping of requests and answers, and every check of an answer, is the one
 * `httpBackend` uses (`@atoma/runtime/remote`); this adapter only carries ops as protobuf messages.
 */
export function connectBackend(options: ConnectBackendOptions): AtomaPlugin {
  return {
    name: 'connect',
    setup(ctx) {
      ctx.execution.registerNode(connectNode(options, { trace: ctx.debug }))
    },
  }
}

/** The Connect transport `options` ask for. */
export function connectTransport(options: ConnectBackendOptions): Transport {
  if (typeof options.transport === 'object') return options.transport
  const settings = {
    baseUrl: options.baseUrl,
    useBinaryFormat: options.binary ?? false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }
  return options.transport === 'grpc-web'
    ? createGrpcWebTransport(settings)
    : createConnectTransport(settings)
}

/** The headers of one call: `options.headers`, asked again for every call when it is a function. */
export async function requestHeaders(options: ConnectBackendOptions): Promise<Record<string, string>> {
  return (typeof options.headers === 'function' ? await options.headers() : options.headers) ?? {}
}

/**
 * The node `connectBackend` registers, for plugins that compose it. `trace`: fill `NodeTrace` for
 * devtools (the request and the answer as protobuf JSON, bounded).
 */
export function connectNode(options: ConnectBackendOptions, { trace: tracing = false } = {}): ExecutionNode {
  const client = createClient(AtomaService, connectTransport(options))

  /**
   * One unary call and its answer: the response decoded into the op's result, or the failure as
   * the op's error, the call made once more when `onUnauthenticated` refreshed the credentials.
   */
  async function exchange<I extends DescMessage, O extends DescMessage>(
    store: string,
    signal: AbortSignal,
    input: I,
    request: MessageShape<I>,
    output: O,
    invoke: (request: MessageShape<I>, options: CallOptions) => Promise<MessageShape<O>>,
    decode: (response: MessageShape<O>, malformed: Malformed) => RemoteOpOutput,
  ): Promise<RemoteAnswer> {
    const requestPreview = tracing ? preview(toJson(input, request)) : undefined
    for (let attempt = 1; ; attempt++) {
      let response: MessageShape<O>
      try {
        response = await invoke(request, { signal, headers: await requestHeaders(options) })
      } catch (error) {
        if (signal.aborted) throw signal.reason
        const failure = ConnectError.from(error)
        const info = errorInfoOf(failure)
        if (
          info.code === 'UNAUTHENTICATED' &&
          attempt === 1 &&
          (await options.onUnauthenticated?.(fromErrorInfo(info)))
        )
          continue
        const trace = tracing ? { request: requestPreview, response: failure.message } : undefined
        return { result: { ok: false, error: info }, ...(trace ? { trace } : {}) }
      }
      const trace = tracing
        ? { request: requestPreview, response: preview(toJson(output, response)) }
        : undefined
      const malformed: Malformed = (what) =>
        Object.assign(
          new AtomaError('TRANSPORT', `store '${store}': the server answered a ${what}`, {
            store,
            retryable: false,
          }),
          trace ? { trace } : {},
        )
      return { result: decode(response, malformed), ...(trace ? { trace } : {}) }
    }
  }

  function call(op: RemoteOpInput, signal: AbortSignal): Promise<RemoteAnswer> {
    if (signal.aborted) return Promise.reject(signal.reason)
    // Encoded before anything is sent: what the messages cannot carry is refused here.
    return op.kind === 'query'
      ? exchange(
          op.store,
          signal,
          QueryRequestSchema,
          queryRequest(op.store, op.query),
          QueryResponseSchema,
          (request, callOptions) => client.query(request, callOptions),
          queryOutput,
        )
      : exchange(
          op.store,
          signal,
          WriteRequestSchema,
          writeRequest(op.store, op.entries),
          WriteResponseSchema,
          (request, callOptions) => client.write(request, callOptions),
          writeOutput,
        )
  }

  return remoteNode({ id: options.id ?? 'connect', send: call })
}
