import { exposedSources } from '../source/exposedSources.js'
import type { PanelData } from '../source/panelData.js'

/** A watcher as the Logic view shows it (`WatcherStatus` of @atoma/logic). */
export interface WatcherLike {
  id: string
  label: string
  trigger: string
  store?: string
  action?: string
  mode: string
  started: number
  finished: number
  aborted: number
  failed: number
  dropped: number
  running: number
  queued: number
  lastError?: string
}

export interface LogicLike {
  name: string
  phase: string
  watchers: WatcherLike[]
}

/** One field a trait maintains (`TraitNode` of @atoma/logic). */
export interface TraitLike {
  store: string
  field: string
  kind: string
  deps?: readonly string[]
  from?: string
  resourceId?: string
}

/**
 * The part of @atoma/logic's devtools source (exposed to the hub as `logic`) the Logic view reads,
 * typed here rather than imported: the panel depends on no logic version, and checks what it reads.
 */
export interface LogicSourceLike {
  inspect(): unknown
  subscribe(listener: () => void): () => void
}

export interface LogicInspectionLike {
  logic: LogicLike[]
  traits: TraitLike[]
}

function isLogicSource(value: unknown): value is LogicSourceLike {
  const source = value as Partial<Record<keyof LogicSourceLike, unknown>> | null
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.inspect === 'function' &&
    typeof source.subscribe === 'function'
  )
}

/** The logic sources of the given runtimes (by label), where they exposed one. */
export function logicSourcesOf(labels: readonly string[]): Array<{ label: string; source: LogicSourceLike }> {
  return exposedSources(labels, 'logic', isLogicSource)
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const COUNTERS = ['started', 'finished', 'aborted', 'failed', 'dropped', 'running', 'queued'] as const

function watcherOf(value: unknown): WatcherLike | undefined {
  if (!isRecord(value)) return undefined
  const { id, label, trigger, store, action, mode, lastError } = value
  if (typeof id !== 'string' || typeof label !== 'string' || typeof mode !== 'string') return undefined
  const watcher: WatcherLike = {
    id,
    label,
    trigger: typeof trigger === 'string' ? trigger : '?',
    mode,
    started: 0,
    finished: 0,
    aborted: 0,
    failed: 0,
    dropped: 0,
    running: 0,
    queued: 0,
  }
  for (const counter of COUNTERS) {
    const count = value[counter]
    if (typeof count === 'number') watcher[counter] = count
  }
  if (typeof store === 'string') watcher.store = store
  if (typeof action === 'string') watcher.action = action
  if (typeof lastError === 'string') watcher.lastError = lastError
  return watcher
}

/** A trait graph node, checked (`logic:traits` events and the live source carry the same shape). */
export function traitOf(value: unknown): TraitLike | undefined {
  if (!isRecord(value)) return undefined
  const { store, field, kind, deps, from, resourceId } = value
  if (typeof store !== 'string' || typeof field !== 'string' || typeof kind !== 'string') return undefined
  const trait: TraitLike = { store, field, kind }
  if (Array.isArray(deps)) trait.deps = deps.filter((dep): dep is string => typeof dep === 'string')
  if (typeof from === 'string') trait.from = from
  if (typeof resourceId === 'string') trait.resourceId = resourceId
  return trait
}

const defined = <T>(value: T | undefined): value is T => value !== undefined

/** What a source's `inspect()` returned, keeping only well-formed entries. */
export function readInspection(value: unknown): LogicInspectionLike {
  const data = isRecord(value) ? value : {}
  const logic = (Array.isArray(data.logic) ? data.logic : []).flatMap((entry: unknown) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') return []
    const watchers = Array.isArray(entry.watchers) ? entry.watchers.map(watcherOf).filter(defined) : []
    return [{ name: entry.name, phase: typeof entry.phase === 'string' ? entry.phase : '?', watchers }]
  })
  const traits = (Array.isArray(data.traits) ? data.traits : []).map(traitOf).filter(defined)
  return { logic, traits }
}

/** Whether the Logic view has something to show: a live runtime's logic, or a recording's runs. */
export function hasLogic(data: PanelData): boolean {
  return data.mode === 'live'
    ? logicSourcesOf(data.instances.map((info) => info.label)).length > 0
    : recordedLogicLabels(data).length > 0
}

/** The runtimes of a recording that had logic or traits: they sent `logic:*` lifecycle events. */
export function recordedLogicLabels(data: PanelData): string[] {
  const labels = new Set<string>()
  for (const event of data.events)
    if (event.kind === 'lifecycle' && event.name?.startsWith('logic:')) labels.add(event.runtimeLabel)
  return [...labels]
}
