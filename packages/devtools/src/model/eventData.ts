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

/** How a watcher run of @atoma/logic ended; `dropped` is a trigger `exhaust` ignored. */
export type RunStatus = 'finished' | 'aborted' | 'failed' | 'dropped'

/** The `data` of a `logic:run` lifecycle event (written by @atoma/logic when a run settles). */
export interface RunData {
  logic: string
  /** `<logic>#<n>`. */
  watcher: string
  label: string
  mode: string
  status: RunStatus
  /** The run's `flow` op, whose `effectop` event has the same id. */
  opId?: string
  durationMs?: number
  error?: string
  /** The transactions the run committed, in order. */
  writes: readonly number[]
}

const RUN_STATUSES: readonly string[] = ['finished', 'aborted', 'failed', 'dropped']

/** Reads a `logic:run` event defensively (any logic version, or a recording). */
export function runDataOf(event: RuntimeDebugEvent): RunData | undefined {
  const data = event.data
  if (event.kind !== 'lifecycle' || event.name !== 'logic:run' || !isRecord(data)) return undefined
  const { logic, watcher, label, mode, status, opId, durationMs, error, writes } = data
  if (typeof logic !== 'string' || typeof watcher !== 'string' || typeof label !== 'string') return undefined
  if (typeof mode !== 'string' || typeof status !== 'string' || !RUN_STATUSES.includes(status))
    return undefined
  const out: RunData = {
    logic,
    watcher,
    label,
    mode,
    status: status as RunStatus,
    writes: Array.isArray(writes) ? writes.filter((id): id is number => Number.isInteger(id)) : [],
  }
  if (typeof opId === 'string') out.opId = opId
  if (typeof durationMs === 'number') out.durationMs = durationMs
  if (typeof error === 'string') out.error = error
  return out
}
