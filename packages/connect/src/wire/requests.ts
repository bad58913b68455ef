import { AtomaError } from '@atoma/runtime'
import type { Patch, Query, RemoteQueryOp, RemoteWriteEntry, RemoteWriteOp } from '@atoma/runtime/protocol'
import { create } from '@bufbuild/protobuf'
import {
  PatchesSchema,
  PatchOp,
  PatchSchema,
  PathSegmentSchema,
  type QueryRequest,
  QueryRequestSchema,
  type Patch as WirePatch,
  type PathSegment as WirePathSegment,
  type WriteEntry as WireWriteEntry,
  WriteEntrySchema,
  WriteOp,
  type WriteRequest,
  WriteRequestSchema,
} from '../gen/atoma/v1/atoma_pb.js'
import { idFromWire, idToWire } from './ids.js'
import { fromJsonText, type ParseJson, toJsonText } from './jsonText.js'
import { wireNumber, wireText } from './scalars.js'

/**
 * Remote ops ⇄ request messages. The client encodes what the shared mapping asks; a server
 * decodes it back into the op a JSON body would have carried, to check and run it exactly as it
 * runs that body (so the decoded op is as unchecked as a parsed body: validate it).
 */

const WRITE_OPS = new Map<string, WriteOp>([
  ['create', WriteOp.CREATE],
  ['update', WriteOp.UPDATE],
  ['upsert', WriteOp.UPSERT],
  ['delete', WriteOp.DELETE],
  ['patch', WriteOp.PATCH],
])
const PATCH_OPS = new Map<string, PatchOp>([
  ['add', PatchOp.ADD],
  ['remove', PatchOp.REMOVE],
  ['replace', PatchOp.REPLACE],
])
const nameOf = <T>(names: Map<string, T>, value: T): string | undefined =>
  [...names].find(([, v]) => v === value)?.[0]

/** `object` without its undefined fields: absent stays absent, as in a JSON body. */
const defined = <T>(object: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T

/** A query op as a `Query` request: the query as JSON text. */
export function queryRequest(store: string, query: Query): QueryRequest {
  return create(QueryRequestSchema, {
    store: wireText(store, `the store name '${store}'`, store),
    query: toJsonText(query, `store '${store}': the query`) ?? '',
  })
}

/** How a server reads a request's JSON text (see `fromJsonText`). */
export interface ReadOptions {
  /** Default `JSON.parse`; a server passes the reader of its JSON bodies, so both arrive under one set of rules. */
  parse?: ParseJson
}

/** The op a `Query` request carries (server side); `VALIDATION` when its query is not JSON. */
export function queryOp(request: QueryRequest, { parse }: ReadOptions = {}): Omit<RemoteQueryOp, 'opId'> {
  const { store } = request
  const parsed = request.query === '' ? { value: undefined } : fromJsonText(request.query, parse)
  if ('problem' in parsed) throw new AtomaError('VALIDATION', `the query: ${parsed.problem}`, { store })
  return defined({ kind: 'query', store, query: parsed.value })
}

/**
 * A write op as a `Write` request. What the messages cannot carry fails the op before anything is
 * sent (`VALIDATION` naming the entry): a `baseVersion` that is not a version (versions only come
 * from a server, so the runtime has no other), a value JSON cannot hold (a BigInt, a cycle), a
 * lone surrogate in a typed string (see `scalars.ts`).
 */
export function writeRequest(store: string, entries: readonly RemoteWriteEntry[]): WriteRequest {
  return create(WriteRequestSchema, {
    store: wireText(store, `the store name '${store}'`, store),
    entries: entries.map((entry) => entryToWire(store, entry)),
  })
}

function entryToWire(store: string, entry: RemoteWriteEntry): WireWriteEntry {
  const what = `store '${store}': entry '${entry.entryId}'`
  const { baseVersion } = entry
  if (baseVersion !== undefined && !(Number.isSafeInteger(baseVersion) && baseVersion >= 0))
    throw new AtomaError(
      'VALIDATION',
      `${what}: baseVersion ${baseVersion} is not a version (an integer ≥ 0)`,
      {
        store,
        entryId: entry.entryId,
      },
    )
  return create(WriteEntrySchema, {
    entryId: wireText(entry.entryId, `store '${store}': an entryId`, store),
    op: WRITE_OPS.get(entry.op) ?? WriteOp.UNSPECIFIED,
    id: idToWire(entry.id, `${what}: the id`, store),
    value: toJsonText(entry.value, `${what}: the value`),
    patches:
      entry.patches === undefined
        ? undefined
        : create(PatchesSchema, {
            patches: entry.patches.map((patch, i) => patchToWire(store, patch, `${what}: patches[${i}]`)),
          }),
    baseVersion: baseVersion === undefined ? undefined : BigInt(baseVersion),
    idempotencyKey: wireText(entry.idempotencyKey, `${what}: the idempotencyKey`, store),
    clientTimeMs: wireNumber(entry.clientTimeMs),
  })
}

function patchToWire(store: string, patch: Patch, what: string): WirePatch {
  return create(PatchSchema, {
    op: PATCH_OPS.get(patch.op) ?? PatchOp.UNSPECIFIED,
    path: patch.path.map((segment) => segmentToWire(store, segment, `${what}: the path`)),
    value: toJsonText(patch.value, `${what}: the value`),
  })
}

/** A key or an index; a segment of another type is left unset, for the receiver to refuse. */
function segmentToWire(store: string, segment: unknown, what: string): WirePathSegment {
  if (typeof segment === 'string')
    return create(PathSegmentSchema, { kind: { case: 'key', value: wireText(segment, what, store) } })
  if (typeof segment === 'number')
    return create(PathSegmentSchema, { kind: { case: 'index', value: wireNumber(segment) } })
  return create(PathSegmentSchema)
}

/** The op a `Write` request carries (server side); `VALIDATION` naming the entry when a value is not JSON. */
export function writeOp(request: WriteRequest, { parse }: ReadOptions = {}): Omit<RemoteWriteOp, 'opId'> {
  const { store } = request
  const entries = request.entries.map((wire): RemoteWriteEntry => {
    const json = (text: string | undefined, what: string): unknown => {
      if (text === undefined) return undefined
      const parsed = fromJsonText(text, parse)
      if ('problem' in parsed)
        throw new AtomaError('VALIDATION', `entry '${wire.entryId}': ${what}: ${parsed.problem}`, {
          store,
          entryId: wire.entryId,
        })
      return parsed.value
    }
    return defined({
      entryId: wire.entryId,
      op: nameOf(WRITE_OPS, wire.op),
      id: idFromWire(wire.id),
      value: json(wire.value, 'the value'),
      patches: wire.patches?.patches.map((patch, i) =>
        defined({
          op: nameOf(PATCH_OPS, patch.op),
          path: patch.path.map((segment) => segment.kind.value),
          value: json(patch.value, `patches[${i}].value`),
        }),
      ),
      baseVersion: wire.baseVersion === undefined ? undefined : Number(wire.baseVersion),
      idempotencyKey: wire.idempotencyKey,
      clientTimeMs: wire.clientTimeMs,
    })
  })
  return { kind: 'write', store, entries }
}
