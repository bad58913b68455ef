import type { IncomingMessage, ServerResponse } from 'node:http'
import { connectErrorOf } from '@atoma/connect/protocol'
import type { ConnectError } from '@connectrpc/connect'
import { encodeEnvelope } from '@connectrpc/connect/protocol'
import {
  codeToHttpStatus,
  parseContentType as connectContentType,
  endStreamFlag,
  endStreamToJson,
  errorToJsonBytes,
} from '@connectrpc/connect/protocol-connect'
import {
  parseContentType as grpcWebContentType,
  setTrailerStatus,
} from '@connectrpc/connect/protocol-grpc-web'
import type { HttpError } from '../errors.js'
import { sendError } from '../http/respond.js'

/**
 * Answers a call refused before connect-node saw it (the doors, authentication, the rate limit, a
 * body over the limit) in the protocol the call speaks, so the client reads the whole Atoma
 * error (its code, message, wait) from the detail every Connect error of this server carries:
 * for the Connect protocol an error body (unary) or an end-of-stream message (streaming), for
 * gRPC-Web a trailers-only answer. The HTTP error's headers (`retry-after`, `www-authenticate`)
 * go along. A call in no protocol gets the JSON error the rest of the server answers.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  if (res.headersSent || res.destroyed) return
  const answer = answerOf(req.headers['content-type'] ?? null, connectErrorOf(error.info))
  if (answer === undefined) {
    sendError(res, error)
    return
  }
  res.writeHead(answer.status, {
    ...error.headers,
    ...answer.headers,
    'content-length': String(answer.body.byteLength),
  })
  res.end(answer.body)
}

/** The refusal in the protocol of a call with this content type; undefined for none. */
function answerOf(
  type: string | null,
  failure: ConnectError,
): { status: number; headers: Record<string, string>; body: Uint8Array } | undefined {
  const grpcWeb = grpcWebContentType(type)
  if (grpcWeb && !grpcWeb.text) {
    const status = Object.fromEntries(setTrailerStatus(new Headers(), failure))
    const contentType = grpcWeb.binary ? 'application/grpc-web+proto' : 'application/grpc-web+json'
    return { status: 200, headers: { ...status, 'content-type': contentType }, body: new Uint8Array() }
  }
  const connect = connectContentType(type)
  if (connect === undefined) return undefined
  if (!connect.stream) {
    const headers = { 'content-type': 'application/json' }
    return { status: codeToHttpStatus(failure.code), headers, body: errorToJsonBytes(failure, undefined) }
  }
  const end = new TextEncoder().encode(JSON.stringify(endStreamToJson(new Headers(), failure, undefined)))
  const contentType = connect.binary ? 'application/connect+proto' : 'application/connect+json'
  return { status: 200, headers: { 'content-type': contentType }, body: encodeEnvelope(endStreamFlag, end) }
}
