import { create } from '@bufbuild/protobuf'
import { IdSchema, type Id as WireId } from '../gen/atoma/v1/atoma_pb.js'
import { wireNumber, wireText } from './scalars.js'

/**
 * An id on the wire: a string or a number, never one for the other, so `1` and `'1'` stay two
 * ids (scalars as `scalars.ts` carries them). An id of any other type is left unset, for the
 * receiver to refuse as it refuses a missing id.
 */
export function idToWire(id: unknown, what = 'the id', store?: string): WireId {
  if (typeof id === 'string')
    return create(IdSchema, { kind: { case: 'text', value: wireText(id, what, store) } })
  if (typeof id === 'number') return create(IdSchema, { kind: { case: 'number', value: wireNumber(id) } })
  return create(IdSchema)
}

/** The id a message carries, `undefined` when it has none (for the receiver's checks to refuse). */
export function idFromWire(id: WireId | undefined): string | number | undefined {
  return id?.kind.value
}
