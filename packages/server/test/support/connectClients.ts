import { AtomaService, errorInfoOf } from '@atoma/connect/protocol'
import type { ErrorInfo } from '@atoma/runtime/protocol'
import { type Client, type Code, ConnectError, createClient } from '@connectrpc/connect'
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node'

/** A protocol and encoding the Connect service speaks, as `connectBackend` names them. */
export interface Protocol {
  name: string
  transport: 'connect' | 'grpc-web'
  binary: boolean
}

export const PROTOCOLS: readonly Protocol[] = [
  { name: 'the Connect protocol, JSON', transport: 'connect', binary: false },
  { name: 'the Connect protocol, binary', transport: 'connect', binary: true },
  { name: 'gRPC-Web, binary', transport: 'grpc-web', binary: true },
  { name: 'gRPC-Web, JSON', transport: 'grpc-web', binary: false },
]

/**
 * A plain Connect client of the service (connect-node over HTTP/1.1, not connectBackend), to send
 * what a test crafts and read the Connect code a call fails with.
 */
export function serviceClient(baseUrl: string, protocol: Protocol): Client<typeof AtomaService> {
  const options = { baseUrl, httpVersion: '1.1', useBinaryFormat: protocol.binary } as const
  const transport =
    protocol.transport === 'connect' ? createConnectTransport(options) : createGrpcWebTransport(options)
  return createClient(AtomaService, transport)
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? String(value) : value)

/** How a call that must fail failed: its Connect code and the Atoma error its detail carries. */
export async function failureOf(call: Promise<unknown>): Promise<{ code: Code; info: ErrorInfo }> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  if (!('error' in outcome))
    throw new Error(`expected the call to fail, got ${JSON.stringify(outcome.value, bigints)}`)
  const failure = ConnectError.from(outcome.error)
  return { code: failure.code, info: errorInfoOf(failure) }
}
