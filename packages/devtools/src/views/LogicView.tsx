import type { RuntimeDebugEvent } from '@atoma/runtime'
import { useState } from 'react'
import { Section } from '../components/Fields.js'
import {
  type LogicInspectionLike,
  type LogicLike,
  logicSourcesOf,
  readInspection,
  recordedLogicLabels,
  type TraitLike,
  traitOf,
  type WatcherLike,
} from '../logic/logicSource.js'
import { formatClock, formatMs } from '../model/describeEvent.js'
import { opDataOf, opStatusOf } from '../model/eventData.js'
import type { RunView } from '../model/flowChain.js'
import { plural } from '../model/txnView.js'
import type { PanelData } from '../source/panelData.js'
import { useFrameUpdates } from '../source/useFrameUpdates.js'

/** Runs listed per runtime, newest first: the hub's buffer bounds them anyway. */
const RECENT_RUNS = 100

export interface LogicViewProps {
  data: PanelData
  onOpenChain(key: string): void
}

/**
 * The logic of each runtime that has some (@atoma/logic): every watcher with its mode and
 * counters (runs started, finished, aborted, triggers dropped by `exhaust` or queued by
 * `sequence`, failures with the last error), its lifecycle hooks, the trait graph (each field with
 * what feeds it), and the recent runs, each opening its causal chain: action → run → writes → renders.
 */
export function LogicView({ data, onOpenChain }: LogicViewProps) {
  const found = data.mode === 'live' ? logicSourcesOf(data.instances.map((info) => info.label)) : []
  useFrameUpdates(
    found.map((f) => f.source),
    (source, schedule) => [source.subscribe(schedule)],
  )
  const runs = data.index.runs()
  const labels = data.mode === 'live' ? found.map((f) => f.label) : recordedLogicLabels(data)
  if (labels.length === 0)
    return (
      <p className="atoma-empty">
        {data.mode === 'live'
          ? 'No runtime on this page has logic or traits. Give createRuntime({ logic: [...] }) a defineLogic from @atoma/logic, with devtools on.'
          : 'This recording has no logic or traits.'}
      </p>
    )
  return (
    <div className="atoma-panel atoma-scroll">
      {labels.map((label) => {
        const source = found.find((f) => f.label === label)?.source
        return (
          <LogicRuntime
            key={label}
            label={label}
            inspection={source ? readInspection(source.inspect()) : undefined}
            data={data}
            runs={runs.filter((run) => run.event.runtimeLabel === label)}
            onOpenChain={onOpenChain}
          />
        )
      })}
    </div>
  )
}

interface LogicRuntimeProps {
  label: string
  /** The live source's; undefined for a recording (its runs and trait graph come from events). */
  inspection: LogicInspectionLike | undefined
  data: PanelData
  runs: readonly RunView[]
  onOpenChain(key: string): void
}

function LogicRuntime({ label, inspection, data, runs, onOpenChain }: LogicRuntimeProps) {
  const traits = inspection?.traits ?? recordedTraits(data.events, label)
  // Where a run's chain opens: its trigger if it is still in the buffer, else its first write.
  const chainKey = (run: RunView) =>
    [run.triggerKey, ...run.writeKeys].find((key) => key !== undefined && data.index.txnByKey.has(key))
  return (
    <>
      <Section title={`Logic · ${label}`}>
        {inspection === undefined ? (
          <p className="atoma-muted">
            Watcher counters are read from a live runtime; a recording keeps its runs.
          </p>
        ) : inspection.logic.length === 0 ? (
          <p className="atoma-muted">No defineLogic in this runtime (only traits).</p>
        ) : (
          inspection.logic.map((logic) => (
            <LogicTable
              key={logic.name}
              logic={logic}
              runs={runs}
              hooks={hooksOf(data.index.ops, label, logic.name)}
              chainKey={chainKey}
              onOpenChain={onOpenChain}
            />
          ))
        )}
      </Section>
      <Section title={`Trait graph · ${label}`}>
        <TraitGraph traits={traits} />
      </Section>
      <Section title={`Runs · ${label}`}>
        <RunTable label={label} runs={runs} chainKey={chainKey} onOpenChain={onOpenChain} />
      </Section>
    </>
  )
}

interface LogicTableProps {
  logic: LogicLike
  runs: readonly RunView[]
  hooks: readonly RuntimeDebugEvent[]
  chainKey(run: RunView): string | undefined
  onOpenChain(key: string): void
}

/** The watcher table's columns, each with what it counts (its header's tooltip). */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['Watcher', 'The name option, or what it watches'],
  ['Trigger', 'The action, state or source that starts its runs'],
  ['Mode', 'How runs overlap: parallel, latest, exhaust or sequence'],
  ['Started', 'Runs started'],
  ['Finished', 'Runs that ended normally'],
  ['Aborted', 'Runs ended by their signal: superseded under latest, or the runtime disposed'],
  ['Dropped', 'Triggers exhaust ignored while a run was active'],
  ['Queued', 'Triggers waiting under sequence'],
  ['Running', 'Runs not settled yet'],
  ['Failed', 'Runs that threw or rejected (click the count for the errors)'],
]

function LogicTable({ logic, runs, hooks, chainKey, onOpenChain }: LogicTableProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set())
  const toggle = (id: string) =>
    setOpen((previous) => {
      const next = new Set(previous)
      if (!next.delete(id)) next.add(id)
      return next
    })
  return (
    <div className="atoma-logic">
      <h4 className="atoma-logic-name">
        {logic.name} <span className="atoma-badge">{logic.phase}</span>
        {hooks.map((hook) => (
          <HookText key={hook.eventId} hook={hook} logic={logic.name} />
        ))}
      </h4>
      {logic.watchers.length === 0 ? (
        <p className="atoma-muted">No watcher (lifecycle hooks only).</p>
      ) : (
        <table className="atoma-table" aria-label={`Watchers of ${logic.name}`}>
          <thead>
            <tr>
              {COLUMNS.map(([column, meaning]) => (
                <th key={column} title={meaning}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {logic.watchers.map((watcher) => (
              <WatcherRows
                key={watcher.id}
                watcher={watcher}
                expanded={open.has(watcher.id)}
                onToggle={() => toggle(watcher.id)}
                failures={runs.filter(
                  (run) => run.data.watcher === watcher.id && run.data.status === 'failed',
                )}
                chainKey={chainKey}
                onOpenChain={onOpenChain}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

interface WatcherRowsProps {
  watcher: WatcherLike
  expanded: boolean
  onToggle(): void
  failures: readonly RunView[]
  chainKey(run: RunView): string | undefined
  onOpenChain(key: string): void
}

function WatcherRows({ watcher, expanded, onToggle, failures, chainKey, onOpenChain }: WatcherRowsProps) {
  const failed = watcher.failed > 0
  return (
    <>
      <tr data-kind={failed ? 'error' : undefined}>
        <td>{watcher.label}</td>
        <td className="atoma-mono">{triggerText(watcher)}</td>
        <td>{watcher.mode}</td>
        <td>{watcher.started}</td>
        <td>{watcher.finished}</td>
        <td>{watcher.aborted}</td>
        <td>{watcher.dropped}</td>
        <td>{watcher.queued}</td>
        <td>{watcher.running}</td>
        <td>
          {failed ? (
            <button
              type="button"
              className="atoma-link atoma-error"
              aria-expanded={expanded}
              aria-label={`${watcher.failed} failed: ${expanded ? 'hide' : 'show'} the errors of ${watcher.label}`}
              onClick={onToggle}
            >
              {watcher.failed} {expanded ? '▾' : '▸'}
            </button>
          ) : (
            0
          )}
        </td>
      </tr>
      {failed && expanded && (
        <tr>
          <td colSpan={COLUMNS.length}>
            <section className="atoma-logic-errors" aria-label={`Errors of ${watcher.label}`}>
              <p className="atoma-error">Last error: {watcher.lastError ?? 'unknown'}</p>
              {failures.length > 0 && (
                <ul className="atoma-diff">
                  {failures
                    .slice(-10)
                    .reverse()
                    .map((run) => (
                      <li key={run.event.eventId}>
                        <span className="atoma-muted">{formatClock(run.event.timestamp)}</span>
                        <span className="atoma-grow">{run.data.error ?? 'failed'}</span>
                        <ChainButton target={chainKey(run)} onOpenChain={onOpenChain} />
                      </li>
                    ))}
                </ul>
              )}
            </section>
          </td>
        </tr>
      )}
    </>
  )
}

function triggerText(watcher: WatcherLike): string {
  if (watcher.trigger === 'action')
    return `onAction ${watcher.store ?? '?'}/${watcher.action ?? '(predicate)'}`
  if (watcher.trigger === 'state') return `onState ${watcher.store ?? '?'}`
  return 'on (source)'
}

function HookText({ hook, logic }: { hook: RuntimeDebugEvent; logic: string }) {
  const op = opDataOf(hook)
  if (!op) return null
  const status = opStatusOf(op)
  return (
    <span className="atoma-muted atoma-logic-hook">
      {' '}
      · {hook.name?.slice(logic.length + 1)}{' '}
      <span className={status === 'error' ? 'atoma-error' : undefined}>{status}</span>{' '}
      {formatMs(op.durationMs)}
      {op.error ? `: ${op.error}` : ''}
    </span>
  )
}

function TraitGraph({ traits }: { traits: readonly TraitLike[] }) {
  if (traits.length === 0) return <p className="atoma-muted">No traits (computed, link or source fields).</p>
  return (
    <ul className="atoma-traits" aria-label="Trait graph">
      {traits.map((trait) => (
        <li key={`${trait.store}.${trait.field}`}>
          <span className="atoma-badge" data-kind={trait.kind}>
            {trait.kind.replace('trait-', '')}
          </span>{' '}
          <span className="atoma-mono">
            {trait.store}.{trait.field} ← {feedsOf(trait)}
          </span>
        </li>
      ))}
    </ul>
  )
}

/** What feeds a field: `tasks, filter` (computed), `settings` (link), `users` or `getProfile` (source). */
function feedsOf(trait: TraitLike): string {
  if (trait.kind === 'trait-computed')
    return (trait.deps ?? []).map((dep) => `${trait.store}.${dep}`).join(', ')
  if (trait.kind === 'trait-link') return trait.from ?? '?'
  return trait.from ?? trait.resourceId ?? '?'
}

interface RunTableProps {
  label: string
  runs: readonly RunView[]
  chainKey(run: RunView): string | undefined
  onOpenChain(key: string): void
}

function RunTable({ label, runs, chainKey, onOpenChain }: RunTableProps) {
  if (runs.length === 0) return <p className="atoma-muted">No run in the event buffer yet.</p>
  const recent = runs.slice(-RECENT_RUNS).reverse()
  return (
    <>
      {runs.length > RECENT_RUNS && (
        <p className="atoma-muted">
          The latest {RECENT_RUNS} of {plural(runs.length, 'run')} in the event buffer.
        </p>
      )}
      <table className="atoma-table" aria-label={`Runs of ${label}`}>
        <thead>
          <tr>
            <th>Time</th>
            <th>Run</th>
            <th>Mode</th>
            <th>Status</th>
            <th>Duration</th>
            <th>Trigger</th>
            <th>Writes</th>
            <th>Chain</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((run) => (
            <tr key={run.event.eventId} data-kind={run.data.status === 'failed' ? 'error' : undefined}>
              <td className="atoma-mono">{formatClock(run.event.timestamp)}</td>
              <td>
                {run.data.logic}/{run.data.label}
              </td>
              <td>{run.data.mode}</td>
              <td>
                <span className="atoma-badge" data-kind={statusTone(run)}>
                  {run.data.status}
                </span>
                {run.data.error && <span className="atoma-error"> {run.data.error}</span>}
              </td>
              <td>{run.data.durationMs === undefined ? '—' : formatMs(run.data.durationMs)}</td>
              <td className="atoma-mono">{run.event.txnId === undefined ? '—' : `#${run.event.txnId}`}</td>
              <td className="atoma-mono">
                {run.data.writes.length === 0 ? '—' : run.data.writes.map((id) => `#${id}`).join(', ')}
              </td>
              <td>
                <ChainButton target={chainKey(run)} onOpenChain={onOpenChain} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function statusTone(run: RunView): string | undefined {
  const { status } = run.data
  return status === 'failed' ? 'error' : status === 'finished' ? 'ok' : 'aborted'
}

function ChainButton({
  target,
  onOpenChain,
}: {
  target: string | undefined
  onOpenChain(key: string): void
}) {
  if (target === undefined)
    return (
      <span className="atoma-muted" title="Neither its trigger nor its writes are in the event buffer">
        —
      </span>
    )
  return (
    <button type="button" className="atoma-link" onClick={() => onOpenChain(target)}>
      Open chain
    </button>
  )
}

/** Each logic's `onInit` / `onDestroy` ops (kind `lifecycle`, named `<logic>/<hook>`). */
function hooksOf(ops: readonly RuntimeDebugEvent[], label: string, logic: string): RuntimeDebugEvent[] {
  return ops.filter(
    (op) =>
      op.runtimeLabel === label &&
      op.name?.startsWith(`${logic}/`) === true &&
      opDataOf(op)?.opKind === 'lifecycle',
  )
}

/** A recording's trait graph: the `logic:traits` event its runtime sent (if still in the buffer). */
function recordedTraits(events: readonly RuntimeDebugEvent[], label: string): TraitLike[] {
  for (let at = events.length - 1; at >= 0; at--) {
    const event = events[at] as RuntimeDebugEvent
    if (event.runtimeLabel !== label || event.kind !== 'lifecycle' || event.name !== 'logic:traits') continue
    const traits = (event.data as { traits?: unknown } | undefined)?.traits
    return Array.isArray(traits) ? traits.map(traitOf).filter((t): t is TraitLike => t !== undefined) : []
  }
  return []
}
