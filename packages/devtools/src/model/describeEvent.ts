import type { DebugEventKind, RuntimeDebugEvent } from '@atoma/runtime'
import { opDataOf, opStatusOf, runDataOf } from './eventData.js'
import { plural } from './txnView.js'

export const EVENT_KINDS: readonly DebugEventKind[] = [
  'state:update',
  'effectop',
  'react-render',
  'lifecycle',
  'diagnostic',
  'devtools',
]

/** One line about an event, from its own fields only (its data is never serialized for this). */
export function describeEvent(event: RuntimeDebugEvent): string {
  const parts: string[] = []
  if (event.kind === 'state:update') {
    parts.push(event.originKind ?? 'update')
    if (event.name) parts.push(event.name)
    if (event.txnId !== undefined) parts.push(`txn #${event.txnId}`)
    if (event.patchCount !== undefined) parts.push(plural(event.patchCount, 'patch', 'patches'))
    return parts.join(' · ')
  }
  if (event.name) parts.push(event.name)
  const run = runDataOf(event)
  if (run) {
    parts.push(`${run.logic}/${run.label}`, run.mode, run.status)
    if (run.durationMs !== undefined) parts.push(formatMs(run.durationMs))
    if (run.error) parts.push(run.error)
  }
  const op = opDataOf(event)
  if (op) {
    parts.push(op.opKind, opStatusOf(op), formatMs(op.durationMs))
    if (op.error) parts.push(op.error)
  }
  if (event.txnId !== undefined) parts.push(`txn #${event.txnId}`)
  return parts.join(' · ')
}

/**
 * How a row is coloured: a failed op, a diagnostic, a rollback and a failed watcher run are
 * errors; an aborted op (the caller went away, e.g. a query whose component unmounted) and an
 * aborted or dropped run are neither an error nor a success.
 */
export function toneOf(event: RuntimeDebugEvent): 'error' | 'aborted' | undefined {
  if (event.kind === 'diagnostic') return 'error'
  if (event.kind === 'state:update') return event.originKind === 'rollback' ? 'error' : undefined
  const run = runDataOf(event)
  if (run) return run.status === 'failed' ? 'error' : run.status === 'finished' ? undefined : 'aborted'
  const op = opDataOf(event)
  if (!op) return undefined
  const status = opStatusOf(op)
  return status === 'ok' ? undefined : status
}

/** What a text search matches an event against: its label, store, kind and its one-line summary. */
export function searchTextOf(event: RuntimeDebugEvent): string {
  const op = opDataOf(event)
  return [event.runtimeLabel, event.store ?? '', event.kind, describeEvent(event), op?.opId ?? '']
    .join(' ')
    .toLowerCase()
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`
}

/** `12:03:04.123`, local time. */
export function formatClock(timestamp: number): string {
  const date = new Date(timestamp)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${bytes} B`
}
