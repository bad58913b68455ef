import type { RuntimeDebugEvent } from '@atoma/runtime'

/** The `data` of an `effectop` event (written by the runtime's `debugObserver`). */
export interface OpData {
  opId: string
  opKind: string
  status: 'ok' | 'error'
  durationMs: number
  error?: string
  /** The error's `AtomaError` code, from runtimes that report it. */
  errorCode?: string
  /** An action's payload, as the runtime passed it (live) or as a recording serialized it. */
  payload?: unknown
  /** The kernel's route (`RouteStep[]`) of a backend call, unchecked: see `routeOf`. */
  route?: unknown[]
  /** Whether the event carried a payload at all (a payload may be `undefined`). */
  hasPayload: boolean
}

/** How the panel shows an op: an aborted one (the caller went away) is not a failure. */
export type OpStatus = 'ok' | 'error' | 'aborted'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads an effectop's data defensively: events come from any runtime version or from a file. */
export function opDataOf(event: RuntimeDebugEvent): OpData | undefined {
  const data = event.data
  if (event.kind !== 'effectop' || !isRecord(data)) return undefined
  const { opId, opKind, status, durationMs, error, errorCode, route } = data
  if (typeof opId !== 'string' || typeof opKind !== 'string') return undefined
  if ((status !== 'ok' && status !== 'error') || typeof durationMs !== 'number') return undefined
  const out: OpData = { opId, opKind, status, durationMs, hasPayload: Object.hasOwn(data, 'payload') }
  if (typeof error === 'string') out.error = error
  if (typeof errorCode === 'string') out.errorCode = errorCode
  if (out.hasPayload) out.payload = data.payload
  if (Array.isArray(route)) out.route = route
  return out
}

export function opStatusOf(data: OpData): OpStatus {
  return data.status === 'error' && data.errorCode === 'ABORTED' ? 'aborted' : data.status
}

/** The record and listener count a `state:update` event carries, untyped until a source reads it. */
export function updateDataOf(
  event: RuntimeDebugEvent,
): { record: unknown; listeners: number | undefined } | undefined {
  const data = event.data
  if (event.kind !== 'state:update' || !isRecord(data) || !isRecord(data.record)) return undefined
  return { record: data.record, listeners: typeof data.listeners === 'number' ? data.listeners : undefined }
}
