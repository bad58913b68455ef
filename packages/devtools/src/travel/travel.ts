import { type DevtoolsInstanceHandle, getDevtoolsInstance, type TxnRecord } from '@atoma/runtime'
import { firstOverlap, replay } from './replay.js'

export type TravelTarget = 'before' | 'after'

/**
 * A store the panel took off its live line: it shows a transaction's snapshot (`at`) or the
 * state recomputed without some transactions (`skipped`). The app keeps working meanwhile: its
 * commits land on what the store shows and are counted as live changes while paused; `live` and
 * `since` keep the true line, so resuming rebuilds the true latest state from them.
 */
export interface Override {
  readonly label: string
  readonly store: string
  /** The store's state when it left its live line: the true state then. */
  readonly live: unknown
  /** The newest transaction id of the store's history then; app commits after it were made while paused. */
  readonly since: number
  at: { txnId: number; which: TravelTarget } | null
  skipped: ReadonlySet<number>
  readonly handle: DevtoolsInstanceHandle
}

export type SkipOutcome = { ok: true } | { ok: false; reason: string }

/** App transactions kept per store beyond the runtime's own ring: the panel's jumps never push them out. */
const KEEP = 500

const keyOf = (label: string, store: string): string => `${label}\u0000${store}`

/**
 * Time travel for the stores of the runtimes `resolve` finds (the page's hub, or a runtime built
 * from a recording). Every move is one `devtools` commit through the instance handle; nothing
 * re-runs a recipe or any IO.
 */
export class Travel {
  private readonly overrides = new Map<string, Override>()
  private readonly archives = new WeakMap<DevtoolsInstanceHandle, Map<string, TxnRecord[]>>()
  private readonly listeners = new Set<() => void>()

  constructor(private readonly resolve: (label: string) => DevtoolsInstanceHandle | undefined) {}

  /**
   * Called after every move. A live runtime's commits reach the panel through the hub anyway; a
   * runtime rebuilt from a recording is not in the hub, so this is how the panel hears of it.
   */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** The store's override, if the panel took it off its live line (and its runtime is still there). */
  overrideOf(label: string, store: string): Override | undefined {
    const key = keyOf(label, store)
    const override = this.overrides.get(key)
    if (override && this.resolve(label) !== override.handle) {
      this.overrides.delete(key)
      return undefined
    }
    return override
  }

  /** Every override, for the header's indicator. */
  all(): Override[] {
    return [...this.overrides.values()].filter((o) => this.overrideOf(o.label, o.store) === o)
  }

  /**
   * The store's app transactions (not the panel's own `devtools` commits), oldest first: those of
   * the runtime's history, merged into a per-store archive so that the panel's jumps, which are
   * transactions too, never push the app's out of reach.
   */
  history(label: string, store: string): readonly TxnRecord[] {
    const handle = this.resolve(label)
    if (!handle?.stores().includes(store)) return []
    let archives = this.archives.get(handle)
    if (!archives) {
      archives = new Map()
      this.archives.set(handle, archives)
    }
    const fresh = handle.history(store)
    const kept = archives.get(store) ?? []
    const last = kept.at(-1)?.txnId ?? 0
    const added = fresh.filter((record) => record.txnId > last && record.origin.kind !== 'devtools')
    if (added.length === 0 && archives.has(store)) return kept
    // A new array when something changed, so views can memoize on it.
    const merged = [...kept, ...added]
    const next = merged.slice(Math.max(0, merged.length - Math.max(KEEP, fresh.length)))
    archives.set(store, next)
    return next
  }

  /** The app transactions on the true line (made before the store was taken off it), oldest first. */
  steps(label: string, store: string): readonly TxnRecord[] {
    const all = this.history(label, store)
    const override = this.overrideOf(label, store)
    return override ? all.filter((record) => record.txnId <= override.since) : all
  }

  /** App commits made while the store was paused: they landed on what the store showed. */
  pausedCommits(label: string, store: string): readonly TxnRecord[] {
    const override = this.overrideOf(label, store)
    if (!override) return []
    return this.history(label, store).filter((record) => record.txnId > override.since)
  }

  /** The state the store would have on its live line now: the true state at the pause + what committed since. */
  trueState(label: string, store: string): unknown {
    const override = this.overrideOf(label, store)
    if (!override) return this.resolve(label)?.getState(store)
    return replay(override.live, this.pausedCommits(label, store))
  }

  /** What the store shows now (its committed state, travelled or not). */
  shown(label: string, store: string): unknown {
    return this.resolve(label)?.getState(store)
  }

  /** Sets the store to a transaction's before/after snapshot. */
  jump(label: string, store: string, txnId: number, which: TravelTarget): void {
    if (!this.resolve(label))
      throw new Error(`runtime '${label}' is no longer registered with the devtools hub`)
    const record = this.history(label, store).find((item) => item.txnId === txnId)
    if (!record) throw new Error(`transaction #${txnId} of '${store}' is no longer in its history`)
    const snapshot = which === 'before' ? record.before : record.after
    if (snapshot === undefined)
      throw new Error(`transaction #${txnId} of '${store}' has no snapshot (light instrumentation)`)
    const override = this.begin(label, store)
    override.at = { txnId, which }
    override.skipped = new Set()
    this.commit(override, snapshot, `${which} #${txnId}`)
  }

  /** Back to the true latest state; the store is live again. */
  resume(label: string, store: string): void {
    const override = this.overrideOf(label, store)
    if (!override) return
    const state = this.trueState(label, store)
    this.overrides.delete(keyOf(label, store))
    this.commit(override, state, 'resume live')
  }

  /**
   * Takes a transaction out of (or back into) the store's state: the state from its `before` on is
   * recomputed from the recorded patches of the later transactions. Refused when a later one
   * touched what it changed, since that one's patches were computed on its result.
   */
  toggleSkip(label: string, store: string, txnId: number): SkipOutcome {
    const override = this.overrideOf(label, store)
    const steps = this.steps(label, store)
    const index = steps.findIndex((record) => record.txnId === txnId)
    if (index < 0)
      return {
        ok: false,
        reason: override
          ? `#${txnId} was committed while paused: resume live first`
          : `#${txnId} is not in the history of '${store}'`,
      }
    const skipped = new Set(override?.skipped ?? [])
    const paused = this.pausedCommits(label, store)
    if (skipped.has(txnId)) skipped.delete(txnId)
    else {
      const record = steps[index] as TxnRecord
      if (record.patches.length === 0 && record.before === undefined)
        return { ok: false, reason: `#${txnId} has no recorded patches (light instrumentation)` }
      const later = [...steps.slice(index + 1).filter((item) => !skipped.has(item.txnId)), ...paused]
      const overlap = firstOverlap(record, later)
      if (overlap)
        return {
          ok: false,
          reason: `#${overlap.txnId} depends on #${txnId}: it changed ${pathText(store, overlap.path)}, which #${txnId} changed, and its patches were computed on #${txnId}'s result`,
        }
      skipped.add(txnId)
    }
    if (skipped.size === 0) {
      this.resume(label, store)
      return { ok: true }
    }
    const first = steps.findIndex((record) => skipped.has(record.txnId))
    const start = steps[first] as TxnRecord
    const rest = [...steps.slice(first + 1).filter((record) => !skipped.has(record.txnId)), ...paused]
    const state = replay(start.before, rest)
    const current = this.begin(label, store)
    current.at = null
    current.skipped = skipped
    this.commit(current, state, `skip ${[...skipped].map((id) => `#${id}`).join(', ')}`)
    return { ok: true }
  }

  private begin(label: string, store: string): Override {
    const existing = this.overrideOf(label, store)
    if (existing) return existing
    const handle = this.resolve(label)
    if (!handle) throw new Error(`runtime '${label}' is no longer registered with the devtools hub`)
    const history = handle.history(store)
    const override: Override = {
      label,
      store,
      handle,
      live: handle.getState(store),
      since: history.at(-1)?.txnId ?? 0,
      at: null,
      skipped: new Set(),
    }
    this.history(label, store)
    this.overrides.set(keyOf(label, store), override)
    return override
  }

  private commit(override: Override, state: unknown, name: string): void {
    const { handle, store, label } = override
    if (!handle.replaceState)
      throw new Error(`runtime '${label}' is from a version of Atoma that cannot travel`)
    // Archive the app's transactions first: this commit may push the oldest out of the runtime's ring.
    this.history(label, store)
    handle.replaceState(store, state, name)
    for (const listener of this.listeners) listener()
  }
}

function pathText(store: string, path: readonly (string | number)[]): string {
  return path.length === 0 ? `the whole of '${store}'` : `${store} › ${path.map(String).join(' › ')}`
}

/** Time travel over the page's DevtoolsHub: one per page, so a pause outlives the panel's views. */
export const liveTravel = new Travel(getDevtoolsInstance)
