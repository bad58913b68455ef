import { AtomaError, type Commit, type PluginRuntime, type StoreDef, type TxnOrigin } from '@atoma/runtime'
import type { JournalError } from '../journal/journalError.js'
import {
  type Journal,
  type JournalDiagnostic,
  type JournalEvent,
  type JournalOptions,
  openJournal,
  type Recovery,
} from '../journal/openJournal.js'
import type { Patch } from '../patch/patch.js'
import type { JournalStorage } from '../storage/storage.js'
import { asAppends, type Change, type Fields, isPlainObject } from './fields.js'
import { replay } from './immer.js'
import { after, guard, wantsCompaction } from './upkeep.js'

/** A persisted store's status: `hydrating` until it holds what was persisted, then `hydrated`, or `error`. */
export type PersistState = 'hydrating' | 'hydrated' | 'error'

/** Where a persisted store stands. The same object until the status changes (a React snapshot). */
export interface PersistStatus {
  readonly status: PersistState
  /** Why the store is not persisted (status `error`): its `cause` is the journal's or the driver's error. */
  readonly error?: AtomaError
}

/** What the devtools show of a persisted store: its journal's size, last checkpoint and last recovery. */
export interface PersistStats {
  store: string
  /** The journal's name in the storage. */
  journal: string
  status: PersistState
  /** Commits made but not durable yet (buffered, being written, or made before hydration). */
  pending: number
  /** Bytes of the journal's current generation. */
  bytes: number
  generation: number
  /** The last durable commit. */
  seq: number
  version: number
  /** The checkpoint the log starts from; `at` when it was written in this session. */
  lastCheckpoint: { seq: number; bytes: number; at?: number }
  /** The last time a damaged tail was cut off, in this session. */
  lastRecovery?: { at: number; discarded: number; reasons: JournalDiagnostic['reason'][] }
  /** Damage known and not recovered yet. */
  damage: readonly JournalDiagnostic[]
  /** The last write that failed, while its commits wait to be written again. */
  lastError?: string
}

/** What one store's persistence needs from the plugin that holds it. */
export interface Host {
  readonly storage: JournalStorage
  readonly throttleMs: number
  readonly rt: PluginRuntime
  /** Tells other tabs that this journal reached `seq`. */
  broadcast(journal: string, seq: number): void
  /** Something in a status or in the stats changed; `milestone` also goes to the devtools. */
  changed(unit: StorePersistence, milestone?: string): void
}

export interface StoreSettings {
  def: StoreDef<unknown>
  journal: string
  fields: Fields
  version: number
  migrate?: (persisted: unknown, fromVersion: number) => unknown
}

// Transactions persist makes itself; its observer must not write them back.
const HYDRATE: TxnOrigin = { kind: 'hydrate', name: 'persist' }
const SYNC: TxnOrigin = { kind: 'sync', name: 'persist' }
const CLEAR: TxnOrigin = { kind: 'hydrate', name: 'persist:clear' }
const OURS: ReadonlySet<TxnOrigin> = new Set([HYDRATE, SYNC, CLEAR])

const HYDRATING: PersistStatus = Object.freeze({ status: 'hydrating' })
const HYDRATED: PersistStatus = Object.freeze({ status: 'hydrated' })

/** A reason persistence of a store stops: a diagnostic code and what to say after the store's name. */
class Failure extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    override readonly cause?: unknown,
  ) {
    super(detail)
  }
}

const shape = (value: unknown): string =>
  isPlainObject(value)
    ? 'an object'
    : Array.isArray(value)
      ? 'an array'
      : value === null || value === undefined
        ? String(value)
        : typeof value === 'object'
          ? `an instance of ${Object.getPrototypeOf(value)?.constructor?.name ?? 'a class'}`
          : `a ${typeof value}`
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error))
const journalCode = (error: unknown) => (error as Partial<JournalError> | undefined)?.code

/** `body()`, its throws and rejections turned into `Failure(code, prefix: reason)`. */
function failing<T>(code: string, prefix: string, body: () => T): T
function failing<T>(code: string, prefix: string, body: () => T | Promise<T>): T | Promise<T>
function failing<T>(code: string, prefix: string, body: () => T | Promise<T>): T | Promise<T> {
  const wrap = (error: unknown): never => {
    throw error instanceof Failure ? error : new Failure(code, `${prefix}: ${reason(error)}`, error)
  }
  try {
    const value = body()
    return value instanceof Promise ? value.catch(wrap) : value
  } catch (error) {
    return wrap(error)
  }
}

/**
 * One persisted store: its journal, and every commit on its way there.
 *
 * The invariant everything here keeps: the journal's state is the store's persisted part, less
 * the commits not durable yet (`inflight`, then `buffer`, in order). Hydration establishes it
 * (the journal's state over the store's, plus what the store had changed meanwhile); each commit
 * keeps it by appending its patches; another writer's commits keep it by landing *under* this
 * tab's pending ones — they are before them in the log — so the pending ones are undone, the
 * others applied, and the pending ones redone, in one `sync` transaction. A record that does not
 * apply stops persistence of the store (status `error`) rather than write on top of a state the
 * journal does not have.
 */
export class StorePersistence {
  readonly name: string
  status: PersistStatus = HYDRATING
  private journal: Journal | undefined
  /** Commits made while hydrating, replayed on the hydrated state. */
  private early: Change[] | undefined = []
  /** Other writers' commits that arrived while hydrating. */
  private held: Extract<JournalEvent, { type: 'external' }>[] = []
  private startState: unknown
  private buffer: Change[] = []
  /** Being written: one append at a time, so a failed one goes back before everything after it. */
  private inflight: Change[] | undefined
  /** Nothing more is written: the journal is not this store's to write (see `status.error`). */
  private detached = false
  private scheduled = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private followTimer: ReturnType<typeof setTimeout> | undefined
  private waiters: { resolve(): void; reject(error: unknown): void }[] = []
  private failure: unknown
  private compacting = false
  private compactFailedAt: number | undefined
  private checkpointAt: number | undefined
  private recovery: { at: number; recovery: Recovery } | undefined
  private hydration: Promise<void> | undefined
  private unobserve: (() => void) | undefined
  private disposed = false

  constructor(
    private readonly host: Host,
    private readonly settings: StoreSettings,
  ) {
    this.name = settings.def.name
  }

  // ----- hydration -----------------------------------------------------------------------------

  /** Opens the journal and hydrates: synchronously on a synchronous driver. Never rejects. */
  start(): void | Promise<void> {
    const { rt, storage } = this.host
    const { fields, journal: name, version } = this.settings
    this.startState = rt.getState(this.name)
    this.unobserve = rt.observe(this.name, (commit) => this.observed(commit))
    const options: JournalOptions = {
      name,
      // A journal that does not exist yet starts from the store as it is now.
      initial: fields.pick(this.startState),
      version,
      onEvent: (event) => this.event(event),
    }
    const open = openJournal as (
      storage: JournalStorage,
      options: JournalOptions,
    ) => Journal | Promise<Journal>
    const started = guard(
      () =>
        after(
          failing('persist::hydrate_failed', 'could not be read', () => open(storage, options)),
          (journal) => this.opened(journal),
        ),
      (error) => this.fail(error),
    )
    if (!(started instanceof Promise)) return
    this.hydration = started.then(() => undefined)
    return this.hydration
  }

  private opened(journal: Journal): void | Promise<void> {
    if (this.disposed)
      return void guard(
        () => journal.close(),
        () => undefined,
      )
    this.journal = journal
    return after(this.repair(), () => after(this.migrated(journal), (root) => this.hydrate(journal, root)))
  }

  /** The stored state at this app's version: migrated (and the migration stored) when older. */
  private migrated(journal: Journal): unknown | Promise<unknown> {
    const { migrate, version, fields } = this.settings
    const stored = journal.version
    if (stored === version) return journal.root
    if (stored > version)
      throw new Failure(
        'persist::version_newer',
        `was persisted at version ${stored}, newer than this app's version ${version}; the journal is left as it is`,
      )
    if (migrate === undefined)
      throw new Failure(
        'persist::migration_failed',
        `was persisted at version ${stored} and this app is at version ${version}, but persist has no migrate function; the journal is left as it is`,
      )
    const what = `could not be migrated from version ${stored} to ${version}`
    return after(
      failing('persist::migration_failed', what, () => migrate(journal.root, stored)),
      (migrated) => {
        this.check(migrated, 'the migrated state', 'persist::migration_failed')
        const root = fields.pick(migrated)
        return after(
          failing('persist::migration_failed', `${what}: storing it failed`, () =>
            journal.compact({ root, version }),
          ),
          () => {
            // Commits another tab made at the old version meanwhile are superseded by the migration.
            this.held = []
            return root
          },
        )
      },
    )
  }

  private hydrate(journal: Journal, root: unknown): void {
    const { fields } = this.settings
    this.check(root, 'the persisted state', 'persist::invalid_state')
    const early = this.early ?? []
    this.early = undefined
    let changes: Change[]
    if (journal.stats().bytes === 0) {
      // Nothing stored: the store is right as it is, and what it did meanwhile is the first commit.
      changes = early.map((c) => fields.project(c.patches, c.inverse))
    } else {
      const base = fields.merge(this.startState, root)
      changes = [fields.missing(base, root)]
      let state = base
      for (const [i, change] of early.entries()) {
        try {
          const [next, patches, inverse] = replay(state, change.patches)
          changes.push(fields.project(asAppends(next, patches), inverse))
          state = next
        } catch (error) {
          // The write cannot be lost silently, but it cannot be applied either: say which one.
          this.host.rt.diagnostic(
            'persist::replay_failed',
            `store '${this.name}': commit ${i + 1} of ${early.length} made before hydration does not apply to the persisted state and was dropped: ${reason(error)}`,
            { store: this.name },
          )
        }
      }
      this.host.rt.replaceState(this.name, state, HYDRATE)
    }
    this.buffer.push(...changes.filter((c) => c.patches.length > 0))
    this.setStatus(HYDRATED, 'hydrated')
    const held = this.held
    this.held = []
    for (const event of held) this.external(event)
    this.pump()
    this.settle()
    // A tab that wrote while this one was opening told a tab that was not listening yet.
    if (this.host.storage.mode === 'async') this.refresh()
  }

  /** Values from storage must have the store's shape before they are applied. */
  private check(value: unknown, what: string, code: string): void {
    const expected = shape(this.startState)
    const actual = shape(value)
    if ((expected === 'an object' || expected === 'an array') && actual !== expected)
      throw new Failure(code, `${what} is ${actual}, but the store's state is ${expected}; it is not applied`)
  }

  // ----- writing -------------------------------------------------------------------------------

  private observed(commit: Commit): void {
    if (OURS.has(commit.record.origin) || this.detached) return
    const patches = asAppends(commit.state, commit.patches)
    if (this.early !== undefined) {
      this.early.push({ patches: [...patches], inverse: [...commit.inversePatches] })
      return
    }
    let change: Change
    try {
      change = this.settings.fields.project(patches, commit.inversePatches)
    } catch (error) {
      this.fail(new Failure('persist::write_failed', `cannot be persisted: ${reason(error)}`, error))
      return
    }
    if (change.patches.length === 0) return
    this.buffer.push(change)
    this.schedule()
  }

  /** Commits made in one tick — or within `throttleMs` — become one append. */
  private schedule(): void {
    if (this.host.throttleMs > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined
        this.pump()
      }, this.host.throttleMs)
    } else if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(() => {
        this.scheduled = false
        this.pump()
      })
    }
  }

  private pump(): void {
    const journal = this.journal
    if (this.inflight || this.buffer.length === 0 || this.detached || journal === undefined || this.early)
      return
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    const batch = this.buffer.splice(0)
    this.inflight = batch
    const patches = batch.flatMap((c) => c.patches)
    let written: number | Promise<number>
    try {
      written = journal.commit(patches)
    } catch (error) {
      this.written(batch, error)
      return
    }
    if (written instanceof Promise)
      written.then(
        (seq) => this.written(batch, undefined, seq),
        (error) => this.written(batch, error ?? new Error('the write failed')),
      )
    else this.written(batch, undefined, written)
  }

  private written(batch: Change[], error: unknown, seq?: number): void {
    if (batch !== this.inflight) return // superseded by clear()
    this.inflight = undefined
    if (this.detached) {
      // Refused, or stopped meanwhile: nothing more is written.
      this.settle()
      return
    }
    if (error !== undefined) {
      this.writeFailed(batch, error)
      return
    }
    this.failure = undefined
    this.host.broadcast(this.settings.journal, seq!)
    this.compact()
    this.host.changed(this)
    if (this.buffer.length > 0) this.pump()
    else this.settle()
  }

  private writeFailed(batch: Change[], error: unknown): void {
    const code = journalCode(error)
    if (code === 'JOURNAL_CLOSED') return
    if (code === 'JOURNAL_UNSUPPORTED_VALUE' || code === 'JOURNAL_INVALID_ARGUMENT') {
      this.fail(new Failure('persist::write_failed', `cannot be persisted: ${reason(error)}`, error))
      return
    }
    // Kept, in order, to be written with the next commit or flush(): nothing is lost while the page lives.
    this.buffer.unshift(...batch)
    if (this.failure === undefined)
      this.host.rt.diagnostic(
        'persist::write_failed',
        `store '${this.name}': a write failed and is kept to be written again: ${reason(error)}`,
        { store: this.name },
      )
    this.failure = error
    for (const waiter of this.waiters.splice(0)) waiter.reject(error)
    this.host.changed(this)
    if (code === 'JOURNAL_DAMAGED' && (this.journal?.stats().damage.length ?? 0) > 0)
      void after(this.repair(), () => this.pump())
  }

  /** Compacts once the log has outgrown its checkpoint (see `wantsCompaction`). */
  private compact(): void {
    const journal = this.journal
    if (journal === undefined || this.compacting || !wantsCompaction(journal.stats(), this.compactFailedAt))
      return
    this.compacting = true
    void guard(
      () =>
        after(journal.compact(), () => {
          this.compacting = false
          this.compactFailedAt = undefined
        }),
      (error) => {
        this.compacting = false
        this.compactFailedAt = journal.stats().bytes
        if (!this.detached)
          this.host.rt.diagnostic(
            'persist::compact_failed',
            `store '${this.name}': compacting its journal failed (writes go on; it is tried again once the log has doubled): ${reason(error)}`,
            { store: this.name },
          )
      },
    )
  }

  // ----- the journal's events ------------------------------------------------------------------

  private event(event: JournalEvent): void {
    switch (event.type) {
      case 'damaged':
        // Found while following the log; at opening, `opened` repairs. Never inside a journal call.
        if (this.early === undefined && !this.detached) queueMicrotask(() => void this.repair())
        return
      case 'external':
        // Inside the journal's call: refusing it keeps this tab's commits out of the log.
        if (!this.external(event)) throw this.status.error
        return
      case 'recovered':
        this.recovery = { at: Date.now(), recovery: event.recovery }
        this.host.changed(this, 'recovered')
        return
      case 'compacted':
        this.checkpointAt = Date.now()
        this.host.broadcast(this.settings.journal, event.seq)
        this.host.changed(this, 'checkpoint')
        return
    }
  }

  /**
   * A damaged tail is what a crash leaves: the state is the last good commit before it, and
   * writing waits for `recover()`. Persist reports it (a diagnostic naming the store and what is
   * cut) and recovers, so the store goes on being persisted; `stats().lastRecovery` keeps it.
   */
  private repair(): void | Promise<void> {
    const journal = this.journal
    const damage = journal?.stats().damage ?? []
    if (journal === undefined || damage.length === 0) return
    this.host.rt.diagnostic(
      'persist::damaged',
      `store '${this.name}': ${damage.map((d) => d.message).join('; ')}; recovering`,
      { store: this.name, damage },
    )
    return guard(
      () => after(journal.recover(), () => undefined),
      (error) =>
        this.detached ||
        this.host.rt.diagnostic(
          'persist::recover_failed',
          `store '${this.name}': recovering its journal failed; its writes wait: ${reason(error)}`,
          { store: this.name },
        ),
    ) as void | Promise<void>
  }

  /**
   * Another writer's commits (or its whole state, after it compacted), under this tab's pending
   * ones. False when they do not apply: persistence stopped, and the commit this tab was about to
   * append must not reach the log (the journal's call is refused).
   */
  private external(event: Extract<JournalEvent, { type: 'external' }>): boolean {
    if (this.detached) return false
    if (this.early !== undefined) {
      this.held.push(event)
      return true
    }
    const { fields, version } = this.settings
    const journal = this.journal!
    try {
      if (journal.version !== version)
        throw new Failure(
          'persist::version_changed',
          `was rewritten at version ${journal.version} by another tab, and this one runs version ${version}: reload it`,
        )
      const incoming: Patch[] = []
      if (event.root !== undefined) {
        this.check(event.root, "another writer's state", 'persist::sync_failed')
        incoming.push(...fields.adopt(event.root))
      }
      for (const commit of event.commits) {
        for (const patch of commit.patches) {
          if (!fields.accepts(patch))
            throw new Failure(
              'persist::sync_failed',
              `received commit ${commit.seq} from another writer, which changes '${String(patch.path[0] ?? '')}', a field this store does not persist; reload this tab`,
            )
          incoming.push(patch)
        }
      }
      const pending = [...(this.inflight ?? []), ...this.buffer]
      const undo = event.root !== undefined ? [] : pending.toReversed().flatMap((c) => c.inverse)
      const landing = [...undo, ...incoming]
      // Computed first, off the store: a record that does not apply throws before anything lands,
      // and each pending commit gets the inverse it has on top of the others' state.
      let state = failing('persist::sync_failed', "another writer's commits do not apply", () =>
        replay(this.host.rt.getState(this.name), landing),
      )[0] as unknown
      for (const change of pending) {
        const [next, , inverse] = failing(
          'persist::sync_failed',
          "this tab's commits do not apply on another writer's",
          () => replay(state, change.patches),
        )
        change.inverse = inverse
        state = next
      }
      // The same patches through the runtime: one `sync` transaction recording only what changed
      // (a whole new state, of a store whose state is not an object of fields, as it is).
      const all = [...landing, ...pending.flatMap((c) => c.patches)]
      if (all.some((p) => p.path.length === 0)) this.host.rt.replaceState(this.name, state, SYNC)
      else this.host.rt.applyPatches(this.name, all, SYNC)
      return true
    } catch (error) {
      this.fail(
        error instanceof Failure
          ? error
          : new Failure(
              'persist::sync_failed',
              `could not apply another writer's commits: ${reason(error)}`,
              error,
            ),
      )
      return false
    }
  }

  /** Reads what other writers appended, until the journal reached `seq` (from their message). */
  follow(seq: number, attempt = 0): void {
    const journal = this.journal
    if (journal === undefined || this.detached || this.early !== undefined || journal.stats().seq >= seq)
      return
    this.refresh(() => {
      if (journal.stats().seq >= seq || attempt >= 12) return
      // localStorage reaches other tabs a little after their message: look again, less and less
      // often (25 ms, 50 ms… a second; 8 s in all). The next message or write catches up anyway.
      clearTimeout(this.followTimer)
      this.followTimer = setTimeout(() => this.follow(seq, attempt + 1), Math.min(25 * 2 ** attempt, 1000))
    })
  }

  private refresh(then?: () => void): void {
    const journal = this.journal!
    void guard(
      () => after(journal.refresh(), () => then?.()),
      (error) =>
        this.detached ||
        this.host.rt.diagnostic(
          'persist::refresh_failed',
          `store '${this.name}': reading other tabs' writes failed: ${reason(error)}`,
          { store: this.name },
        ),
    )
  }

  // ----- the API -------------------------------------------------------------------------------

  /** Resolves once every commit made so far is durable; rejects with the write's error. */
  flush(): Promise<void> {
    if (this.status.status === 'error') return Promise.reject(this.status.error)
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
    this.pump()
    this.settle()
    return done
  }

  /**
   * Forgets what is persisted: the journal is compacted to the store's initial state (its
   * persisted part) at this app's version, and the store is reset to its initial state, one
   * `hydrate` transaction. A journal that could not be read at all is removed and started anew.
   */
  async clear(): Promise<void> {
    await this.hydration
    const { def, fields, version, journal: name } = this.settings
    const root = fields.pick(def.initial)
    if (this.journal !== undefined) {
      const journal = this.journal
      await this.repair()
      await journal.compact({ root, version })
    } else {
      await removeJournal(this.host.storage, name)
      const open = openJournal as (
        storage: JournalStorage,
        options: JournalOptions,
      ) => Journal | Promise<Journal>
      this.journal = await open(this.host.storage, {
        name,
        initial: root,
        version,
        onEvent: (e) => this.event(e),
      })
    }
    // What was not written yet is forgotten with the rest.
    this.buffer = []
    this.inflight = undefined
    this.host.rt.replaceState(this.name, def.initial, CLEAR)
    this.detached = false
    this.failure = undefined
    this.early = undefined
    this.setStatus(HYDRATED, 'cleared')
    this.settle()
  }

  stats(): PersistStats {
    const s = this.journal?.stats()
    const stats: PersistStats = {
      store: this.name,
      journal: this.settings.journal,
      status: this.status.status,
      pending: this.buffer.length + (this.inflight?.length ?? 0) + (this.early?.length ?? 0),
      bytes: s?.bytes ?? 0,
      generation: s?.generation ?? 0,
      seq: s?.seq ?? 0,
      version: s?.version ?? this.settings.version,
      lastCheckpoint: {
        seq: s?.checkpointSeq ?? 0,
        bytes: s?.checkpointBytes ?? 0,
        ...(this.checkpointAt === undefined ? {} : { at: this.checkpointAt }),
      },
      damage: s?.damage ?? [],
    }
    if (this.recovery !== undefined)
      stats.lastRecovery = {
        at: this.recovery.at,
        discarded: this.recovery.recovery.discarded,
        reasons: this.recovery.recovery.repaired.map((d) => d.reason),
      }
    if (this.failure !== undefined) stats.lastError = reason(this.failure)
    return stats
  }

  /** Writes what is left (synchronously on a synchronous driver) and lets the journal go. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.unobserve?.()
    clearTimeout(this.followTimer)
    const journal = this.journal
    if (journal === undefined) return
    // Closed once what is buffered is written (at once on a synchronous driver).
    const close = () =>
      void guard(
        () => journal.close(),
        () => undefined,
      )
    if (this.status.status === 'error') close()
    else this.flush().then(close, close)
  }

  // ----- status --------------------------------------------------------------------------------

  /**
   * Stops persisting the store: its state stays what it is (its initial state plus what was done
   * since, when hydration failed), the journal is left untouched, and the reason is reported.
   */
  private fail(error: unknown): void {
    const failure =
      error instanceof Failure
        ? error
        : new Failure('persist::hydrate_failed', `failed: ${reason(error)}`, error)
    this.detached = true
    this.early = undefined
    this.held = []
    this.buffer = []
    const transport = journalCode(failure.cause) === 'JOURNAL_STORAGE'
    const atoma = new AtomaError(
      transport ? 'TRANSPORT' : 'VALIDATION',
      `persist: store '${this.name}': ${failure.detail}`,
      {
        store: this.name,
        ...(failure.cause === undefined ? {} : { cause: failure.cause }),
      },
    )
    this.host.rt.diagnostic(failure.code, atoma.message, { store: this.name })
    this.setStatus(Object.freeze({ status: 'error', error: atoma }), 'error')
    this.settle()
  }

  private setStatus(status: PersistStatus, milestone: string): void {
    this.status = status
    this.host.changed(this, milestone)
  }

  private settle(): void {
    if (this.early !== undefined && !this.detached) return
    if (this.detached) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.status.error)
      return
    }
    if (this.inflight || this.buffer.length > 0) return
    for (const waiter of this.waiters.splice(0)) waiter.resolve()
  }
}

/** Removes every generation of a journal that cannot be opened (clear() of an unreadable journal). */
function removeJournal(storage: JournalStorage, name: string): void | Promise<void> {
  if (storage.mode === 'sync')
    return storage.lock(name, () => {
      for (const generation of storage.generations(name)) storage.remove(name, generation)
    })
  return storage.lock(name, async () => {
    for (const generation of await storage.generations(name)) await storage.remove(name, generation)
  })
}
