import { dataProblem } from '../../data.js'
import { AtomaError, type ErrorInfo, fromErrorInfo } from '../../errors.js'
import type {
  EntryResult,
  ExecutionNode,
  NodeQueryResult,
  NodeTrace,
  NodeWriteResult,
} from '../../execution/ports.js'
import { decodeCursor } from '../../query/evaluate.js'
import type { Id } from '../../query/types.js'
import type {
  RemoteOpError,
  RemoteQueryOp,
  RemoteQueryResult,
  RemoteWriteOp,
  RemoteWriteResult,
} from '../http/protocol.js'
import { formatId, isId } from '../shared/resolveEntry.js'

/**
 * The mapping every remote adapter shares (HTTP, Connect): a kernel request becomes one remote op
 * of one store, and the op's answer becomes the node's result — checked first, because an answer
 * is input like any other. What differs between adapters (the envelope, batching, statuses,
 * protobuf) stays in the adapter: it only has to `send` one op and hand back the op's result.
 *
 * Nothing in an answer is trusted: an item that is not an object, has no usable id or version, or
 * holds a key reaching a prototype, and a cursor this query cannot use (see `decodeCursor`), are
 * refused as a malformed answer (`TRANSPORT`, not retryable: asking again gets the same answer),
 * naming the store and the item; a confirmation carrying such a value rejects that entry
 * (`VALIDATION`) instead of landing it. The kernel checks the rest of a
 * write's answer (one result per entry, versions, error infos).
 */

/** One op as a remote node sends it: what it asks, without the id a transport may pair it with. */
export type RemoteOpInput = Omit<RemoteQueryOp, 'opId'> | Omit<RemoteWriteOp, 'opId'>

/** An op's result as the adapter received it (shaped like the protocol's, not yet checked), without its op id. */
export type RemoteOpOutput =
  | Omit<RemoteQueryResult, 'opId'>
  | Omit<RemoteWriteResult, 'opId'>
  | Omit<RemoteOpError, 'opId'>

/** What an adapter's `send` resolves with: the op's result and, with devtools on, its trace. */
export interface RemoteAnswer {
  result: RemoteOpOutput
  trace?: NodeTrace
}

/** The options of `remoteNode`. */
export interface RemoteNodeOptions {
  /** The node id in routes and devtools. */
  id: string
  /**
   * Sends one op and resolves with its result. A failure of the whole op (the server's error for
   * it) is a result with `ok: false`; a failure to get any answer (network, authentication) is a
   * thrown `AtomaError`, and the caller's abort rejects with the signal's reason.
   */
  send(op: RemoteOpInput, signal: AbortSignal): Promise<RemoteAnswer>
}

/** The most of a request or an answer that devtools show: enough to read, never the whole of a big body. */
const PREVIEW = 2000

/** A value as JSON, cut to 2,000 characters, for `NodeTrace`. */
export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text
}

/** A remote execution node: the kernel's query and write mapped to ops that `send` carries. */
export function remoteNode({ id, send }: RemoteNodeOptions): ExecutionNode {
  const malformedResult = (store: string, what: string, trace: NodeTrace | undefined) =>
    Object.assign(
      new AtomaError('TRANSPORT', `store '${store}': the server answered a ${what}`, {
        store,
        retryable: false,
      }),
      trace ? { trace } : {},
    )

  const opFailure = (
    result: RemoteOpOutput,
    store: string,
    trace: NodeTrace | undefined,
  ): AtomaError | undefined => {
    if (result.ok) return undefined
    const info = result.error as ErrorInfo | undefined
    if (!info || typeof info.code !== 'string' || typeof info.message !== 'string')
      return malformedResult(store, 'failed op without an error', trace)
    return Object.assign(
      fromErrorInfo({ ...info, message: `store '${store}': ${info.message}` }, { store }),
      trace ? { trace } : {},
    )
  }

  return {
    id,
    source: 'remote',
    async query({ store, query, signal }): Promise<NodeQueryResult> {
      const { result, trace } = await send({ kind: 'query', store, query }, signal)
      const failure = opFailure(result, store, trace)
      if (failure) throw failure
      if (!result.ok || result.kind !== 'query' || !Array.isArray(result.items))
        throw malformedResult(store, 'query with a malformed result', trace)
      const versions = new Map<Id, number>()
      const items: unknown[] = []
      for (const item of result.items as unknown[]) {
        const { id, version, value } = (item ?? {}) as { id?: unknown; version?: unknown; value?: unknown }
        if (!isId(id) || !Number.isSafeInteger(version))
          throw malformedResult(store, 'query with an item lacking a usable id or version', trace)
        const problem =
          typeof value !== 'object' || value === null || Array.isArray(value)
            ? 'it is not an object'
            : dataProblem(value)
        if (problem)
          throw malformedResult(store, `query with item ${formatId(id)} refused: ${problem}`, trace)
        versions.set(id, version as number)
        items.push(value)
      }
      const { cursor } = result as { cursor?: unknown }
      if (cursor === undefined) return { items, versions, ...(trace ? { trace } : {}) }
      // A cursor goes back to the server as the next page's `after`, and to whoever reads
      // `meta.cursor`: it must be one this query can use (a bounded string, of this store, where and orderBy).
      const problem = decodeCursor(cursor, query, store)
      if (typeof problem === 'string') throw malformedResult(store, `query whose cursor ${problem}`, trace)
      return { items, versions, cursor: cursor as string, ...(trace ? { trace } : {}) }
    },
    async write({ store, entries, signal }): Promise<NodeWriteResult> {
      const { result, trace } = await send({ kind: 'write', store, entries }, signal)
      const failure = opFailure(result, store, trace)
      if (failure) throw failure
      if (!result.ok || result.kind !== 'write' || !Array.isArray(result.items))
        throw malformedResult(store, 'write with a malformed result', trace)
      const items = result.items.map((item): EntryResult => {
        if (item?.status !== 'confirmed') return item as EntryResult
        const value = item.value === null || item.value === undefined ? undefined : item.value
        const problem = value === undefined ? undefined : dataProblem(value)
        if (problem)
          return {
            entryId: item.entryId,
            status: 'rejected',
            error: {
              code: 'VALIDATION',
              message: `the server confirmed the entry with a value that is refused: ${problem}`,
              retryable: false,
            },
          }
        return {
          entryId: item.entryId,
          status: 'confirmed',
          version: item.version,
          ...(value === undefined ? {} : { value }),
        }
      })
      return { status: result.status, items, ...(trace ? { trace } : {}) }
    },
  }
}
