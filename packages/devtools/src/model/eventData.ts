import type { RuntimeDebugEvent } from '@atoma/runtime'

/** The `data` of an `effectop` event (written by the runtime's `debugObserver`). */
export interface OpData {
  opId: string
  opKind: string
  status: 'ok' | 'error'
  durationMs: number
  error?: string
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads an effectop's data defensively: events come from any runtime version or from a file. */
export function opDataOf(event: RuntimeDebugEvent): OpData | undefined {
  const data = event.data
  if (event.kind !== 'effectop' || !isRecord(data)) return undefined
  const { opId, opKind, status, durationMs, error } = data
  if (typeof opId !== 'string' || typeof opKind !== 'string') return undefined
  if ((status !== 'ok' && status !== 'error') || typeof durationMs !== 'number') return undefined
  return typeof error === 'string'
    ? { opId, opKind, status, durationMs, error }
    : { opId, opKind, status, durationMs }
}

/** The record and listener count a `state:update` event carries, untyped until a source reads it. */
export function updateDataOf(
  event: RuntimeDebugEvent,
): { record: unknown; listeners: number | undefined } | undefined {
  const data = event.data
  if (event.kind !== 'state:update' || !isRecord(data) || !isRecord(data.record)) return undefined
  return { record: data.record, listeners: typeof data.listeners === 'number' ? data.listeners : undefined }
}
