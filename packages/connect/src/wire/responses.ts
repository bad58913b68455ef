import type { RemoteEntryResult, RemoteItem, RemoteWriteResult } from '@atoma/runtime/protocol'
import type { RemoteOpOutput } from '@atoma/runtime/remote'
import { create } from '@bufbuild/protobuf'
import {
  ConfirmedSchema,
  EntryResultSchema,
  ItemSchema,
  type QueryResponse,
  QueryResponseSchema,
  type WriteResponse,
  WriteResponseSchema,
  WriteStatus,
} from '../gen/atoma/v1/atoma_pb.js'
import { errorInfoFromWire, errorInfoToWire } from './errorInfo.js'
import { idFromWire, idToWire } from './ids.js'
import { fromJsonText, toJsonText } from './jsonText.js'

/**
 * Response messages ⇄ op results. A server encodes what it answered; the client decodes it into
 * the result the shared mapping checks (`remoteNode`), refusing here only what the messages add:
 * JSON text that is not JSON, a version JS cannot hold, a write without a status or an entry
 * without an outcome.
 */

const STATUSES = new Map<RemoteWriteResult['status'], WriteStatus>([
  ['confirmed', WriteStatus.CONFIRMED],
  ['partial', WriteStatus.PARTIAL],
  ['rejected', WriteStatus.REJECTED],
])

/** A version on the wire (a uint64); the server's versions are integers from 1 up. */
const versionToWire = (version: number): bigint => BigInt(version)

/** A query's items, and its cursor when more follow, as its response (server side). */
export function queryResponse(items: readonly RemoteItem[], cursor?: string): QueryResponse {
  return create(QueryResponseSchema, {
    cursor,
    items: items.map((item) =>
      create(ItemSchema, {
        id: idToWire(item.id),
        version: versionToWire(item.version),
        value: toJsonText(item.value, `item ${String(item.id)}`) ?? 'null',
      }),
    ),
  })
}

/** A write's outcome as its response (server side). */
export function writeResponse(result: Pick<RemoteWriteResult, 'status' | 'items'>): WriteResponse {
  return create(WriteResponseSchema, {
    status: STATUSES.get(result.status) ?? WriteStatus.UNSPECIFIED,
    items: result.items.map((item: RemoteEntryResult) =>
      create(EntryResultSchema, {
        entryId: item.entryId,
        outcome:
          item.status === 'confirmed'
            ? {
                case: 'confirmed',
                value: create(ConfirmedSchema, {
                  id: idToWire(item.id),
                  version: versionToWire(item.version),
                  value: item.value === null ? undefined : toJsonText(item.value, `entry '${item.entryId}'`),
                }),
              }
            : { case: 'rejected', value: errorInfoToWire(item.error) },
      }),
    ),
  })
}

/** An answer that cannot be the server's result, for the caller to name its store in. */
export type Malformed = (what: string) => Error

const idText = (id: unknown) => (typeof id === 'string' ? `'${id}'` : String(id))

/** The result a `Query` response carries (client side). */
export function queryOutput(response: QueryResponse, malformed: Malformed): RemoteOpOutput {
  const items = response.items.map((item): RemoteItem => {
    const id = idFromWire(item.id)
    const value = fromJsonText(item.value)
    if ('problem' in value) throw malformed(`query with item ${idText(id)} refused: ${value.problem}`)
    return { id: id as RemoteItem['id'], version: Number(item.version), value: value.value }
  })
  // The cursor is checked by the shared mapping (remoteNode), as a JSON body's is.
  return {
    ok: true,
    kind: 'query',
    items,
    ...(response.cursor === undefined ? {} : { cursor: response.cursor }),
  }
}

/** The result a `Write` response carries (client side). */
export function writeOutput(response: WriteResponse, malformed: Malformed): RemoteOpOutput {
  const status = [...STATUSES].find(([, wire]) => wire === response.status)?.[0]
  if (status === undefined) throw malformed(`write without a status (${response.status})`)
  const items = response.items.map((item): RemoteEntryResult => {
    const { entryId, outcome } = item
    if (outcome.case === 'rejected') {
      const error = errorInfoFromWire(outcome.value)
      if ('problem' in error) throw malformed(`write rejecting entry '${entryId}' with ${error.problem}`)
      return { entryId, status: 'rejected', error: error.info }
    }
    if (outcome.case !== 'confirmed') throw malformed(`write answering entry '${entryId}' with no outcome`)
    const { id, version, value } = outcome.value
    const parsed = value === undefined ? { value: null } : fromJsonText(value)
    if ('problem' in parsed)
      throw malformed(`write confirming entry '${entryId}' with a value: ${parsed.problem}`)
    return {
      entryId,
      status: 'confirmed',
      id: idFromWire(id) as RemoteItem['id'],
      version: Number(version),
      value: parsed.value,
    }
  })
  return { ok: true, kind: 'write', status, items }
}
