import { frameCrc } from '../frame/frame.js'
import { type Patch, patchProblem } from '../patch/patch.js'
import { encodeRecord, hex32 } from '../record/records.js'
import { type AsyncStorage, concat, type JournalStorage, NAME, type SyncStorage } from '../storage/storage.js'
import { JournalError } from './journalError.js'
import { io, type Op, runAsync, runSync } from './run.js'
import { type Chain, type Damage, type Generation, scanGeneration, scanTail } from './scan.js'

/** Options of `openJournal`; only `name` is required. */
export interface JournalOptions {
  /** Which journal of the storage (letters, digits, `.`, `_`, `-`). */
  name: string
  /** The state of a journal that does not exist yet (default `{}`); written with its first write. */
  initial?: unknown
  /** The version of the state's shape, stamped on a journal this opening creates (default 0). */
  version?: number
  /** Everything the journal notices: damage, other writers' commits, recoveries, compactions. */
  onEvent?: (event: JournalEvent) => void
}

/**
 * A damaged region, found when opening or following the log. Nothing is dropped on disk until
 * `recover()`: until then, writing fails with `JOURNAL_DAMAGED`.
 */
export interface JournalDiagnostic {
  /** `torn`: the bytes end mid-record (a write cut by a crash); `checksum`: a record's bytes are
   * not what was written; `fork`: a commit does not follow the previous one (two writers raced). */
  reason: Damage['reason']
  journal: string
  generation: number
  /** Offset of the first unusable record. */
  offset: number
  /** `recover()` cuts the generation to this many bytes (0: it removes the generation). */
  keep: number
  /** Bytes the generation holds. */
  size: number
  message: string
}

/** What `recover()` did: the bytes it cut and the damage it repaired. */
export interface Recovery {
  /** Bytes removed. */
  discarded: number
  repaired: JournalDiagnostic[]
}

/** A transaction another writer committed. */
export interface ExternalCommit {
  seq: number
  patches: Patch[]
}

/** What a journal reports to `onEvent`: damage found, other writers' commits, a recovery, a compaction. */
export type JournalEvent =
  | { type: 'damaged'; diagnostic: JournalDiagnostic }
  /** Another writer (a tab, a process) appended `commits`: apply them in order. With `root`
   * (another writer compacted, or this journal had to reload), replace the state with it, then
   * re-apply this writer's own commits that have not resolved yet: they come after it in the log.
   * A listener that throws here refuses the operation that was following the log: nothing of it
   * is written (a commit waiting to be appended fails with that error) — how a writer whose own
   * commits no longer apply on top of the others' keeps them out of the log. */
  | { type: 'external'; root?: unknown; commits: ExternalCommit[] }
  | { type: 'recovered'; recovery: Recovery }
  | { type: 'compacted'; generation: number; seq: number; bytes: number }

/** Where a journal stands (what the devtools show): its generation, size, last commit and damage. */
export interface JournalStats {
  generation: number
  /** Bytes of the current generation up to its last good commit. */
  bytes: number
  /** The last commit. */
  seq: number
  /** The commit the current generation's checkpoint holds. */
  checkpointSeq: number
  /** Bytes of the current generation's header and checkpoint (0 while nothing is stored): what
   * the log would shrink to if it were compacted now, give or take the state's changes. */
  checkpointBytes: number
  version: number
  damage: readonly JournalDiagnostic[]
  lastRecovery?: Recovery
}

type Mode = 'sync' | 'async'
/** What a journal call returns: the value itself on a synchronous storage, a promise otherwise. */
export type Io<M extends Mode, T> = M extends 'sync' ? T : Promise<T>

/**
 * An open journal (`openJournal`). `M` is `'sync'` on a synchronous storage, where every call
 * returns its value, and `'async'` otherwise, where every call returns a promise.
 */
export interface Journal<M extends Mode = Mode> {
  readonly name: string
  /** The state as materialized when the journal was opened. The journal keeps no live copy of the
   * state: it is the caller's from here on. */
  readonly root: unknown
  /** The version of the state's shape, as stored. */
  readonly version: number
  /**
   * Appends one transaction; returns its number once it is durable. Costs O(patches): the
   * state is never rewritten. Concurrent calls on an asynchronous storage are written together.
   */
  commit(patches: readonly Patch[]): Io<M, number>
  /** Reads what other writers appended since (reported as `external` events). */
  refresh(): Io<M, void>
  /**
   * Writes the state as a checkpoint in a new generation and removes the old one, so the log
   * starts small again. With `replacement`, the new checkpoint holds that root and version
   * instead (a migration, a reset) — itself a commit.
   */
  compact(replacement?: { root: unknown; version?: number }): Io<M, void>
  /** Cuts every damaged region back to the last good commit; `undefined` when there was none. */
  recover(): Io<M, Recovery | undefined>
  /** Where the journal stands now; a new object per call. */
  stats(): JournalStats
  /**
   * Refuses later calls (`JOURNAL_CLOSED`); on an asynchronous storage, resolves once the writes
   * queued before it are done.
   */
  close(): Io<M, void>
}

/**
 * Opens a journal and materializes its state: the newest complete generation's checkpoint, with
 * the commits after it applied. Synchronous on a synchronous storage — state is there before the
 * first render — and a promise otherwise. Damage is reported, never thrown; what cannot be read
 * safely (an unknown record kind, a record in the wrong place) throws.
 */
export function openJournal(storage: SyncStorage, options: JournalOptions): Journal<'sync'>
export function openJournal(storage: AsyncStorage, options: JournalOptions): Promise<Journal<'async'>>
export function openJournal(storage: JournalStorage, options: JournalOptions): Journal | Promise<Journal> {
  if (typeof options?.name !== 'string' || !NAME.test(options.name)) {
    throw new JournalError(
      'JOURNAL_INVALID_ARGUMENT',
      `journal name ${JSON.stringify(options?.name)} is not valid: use letters, digits, '.', '_' and '-'`,
    )
  }
  const version = options.version ?? 0
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new JournalError(
      'JOURNAL_INVALID_ARGUMENT',
      `journal '${options.name}': version must be a non-negative integer`,
    )
  }
  const journal = new JournalImpl(storage, options, version)
  if (storage.mode === 'sync') {
    storage.lock(options.name, () => runSync(journal.open()))
    return journal
  }
  return storage.lock(options.name, () => runAsync(journal.open())).then(() => journal)
}

interface Task {
  /** Commits waiting to be written: consecutive ones share one append. */
  commit?: Uint8Array
  op?: () => Op<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

class JournalImpl implements Journal {
  readonly name: string
  root: unknown
  version: number
  private readonly storage: JournalStorage
  private readonly onEvent: JournalOptions['onEvent']
  private readonly initial: unknown
  private generation = 0
  /** Offset just past the last good commit of `generation`; 0 while nothing is stored. */
  private end = 0
  private chain: Chain = { seq: 0, prev: 0 }
  private checkpointSeq = 0
  private checkpointBytes = 0
  private damage: JournalDiagnostic[] = []
  /** After a failed storage call nothing is known about what landed: read everything again. */
  private stale = false
  private lastRecovery?: Recovery
  private closed = false
  private readonly tasks: Task[] = []
  private draining = false

  constructor(storage: JournalStorage, options: JournalOptions, version: number) {
    this.storage = storage
    this.name = options.name
    this.onEvent = options.onEvent
    this.initial = Object.hasOwn(options, 'initial') ? options.initial : {}
    this.root = this.initial
    this.version = version
  }

  // ----- public API: each call runs one operation under the storage's lock -------------------

  commit(patches: readonly Patch[]): never {
    return this.call(() => {
      this.assertOpen()
      if (!Array.isArray(patches)) this.invalid('commit() takes a list of patches')
      patches.forEach((patch, i) => {
        const problem = patchProblem(patch)
        if (problem !== undefined) this.invalid(`commit(): patch ${i}: ${problem}`)
      })
      // Encoded now: O(change), and later edits of the caller's objects cannot leak in.
      const frame =
        patches.length === 0 ? new Uint8Array(0) : encodeRecord('patch', { patches: [...patches] }, this.name)
      if (this.storage.mode === 'sync') return this.runNow(() => this.write([frame]))[0]
      return this.enqueue({ commit: frame })
    })
  }

  refresh(): never {
    return this.schedule(() => this.follow())
  }

  compact(replacement?: { root: unknown; version?: number }): never {
    return this.call(() => {
      const version = replacement?.version ?? this.version
      if (!Number.isSafeInteger(version) || version < 0)
        this.invalid('compact(): version must be a non-negative integer')
      return this.schedule(() => this.rewrite(replacement))
    })
  }

  recover(): never {
    return this.schedule(() => this.repair())
  }

  stats(): JournalStats {
    const stats: JournalStats = {
      generation: this.generation,
      bytes: this.end,
      seq: this.chain.seq,
      checkpointSeq: this.checkpointSeq,
      checkpointBytes: this.checkpointBytes,
      version: this.version,
      damage: [...this.damage],
    }
    if (this.lastRecovery !== undefined) stats.lastRecovery = this.lastRecovery
    return stats
  }

  close(): never {
    const already = this.closed
    this.closed = true
    if (this.storage.mode === 'sync') return undefined as never
    // Resolves once the writes queued before it are done.
    return (already ? Promise.resolve() : this.enqueue({}).then(() => undefined)) as never
  }

  // ----- scheduling ----------------------------------------------------------------------------

  private schedule(op: () => Op<unknown>): never {
    return this.call(() => {
      this.assertOpen()
      return this.storage.mode === 'sync' ? this.runNow(op) : this.enqueue({ op })
    })
  }

  /** On an asynchronous storage, errors arrive as rejections, never as throws. */
  private call(body: () => unknown): never {
    if (this.storage.mode === 'sync') return body() as never
    try {
      return body() as never
    } catch (error) {
      return Promise.reject(error) as never
    }
  }

  private runNow<R>(op: () => Op<R>): R {
    return (this.storage as SyncStorage).lock(this.name, () => runSync(op()))
  }

  private enqueue(task: Omit<Task, 'resolve' | 'reject'>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.tasks.push({ ...task, resolve, reject })
      this.drain()
    })
  }

  /** Runs queued tasks in order, one lock each; a run of commits becomes one append (group commit). */
  private async drain(): Promise<void> {
    if (this.draining) return
    this.draining = true
    // Let the caller's synchronous burst of commits queue up: they share the first append.
    await null
    const storage = this.storage as AsyncStorage
    while (this.tasks.length > 0) {
      let batch = 1
      if (this.tasks[0]!.commit !== undefined) while (this.tasks[batch]?.commit !== undefined) batch++
      const tasks = this.tasks.splice(0, batch)
      try {
        const first = tasks[0]!
        if (first.op !== undefined) first.resolve(await storage.lock(this.name, () => runAsync(first.op!())))
        else if (first.commit === undefined) first.resolve(undefined)
        else {
          const seqs = await storage.lock(this.name, () => runAsync(this.write(tasks.map((t) => t.commit!))))
          for (const [i, task] of tasks.entries()) task.resolve(seqs[i])
        }
      } catch (error) {
        for (const task of tasks) task.reject(error)
      }
    }
    this.draining = false
  }

  // ----- operations ----------------------------------------------------------------------------

  *open(): Op<void> {
    this.root = yield* this.load()
  }

  /** Finds the newest complete generation and takes its state; incomplete newer ones are damage. */
  private *load(): Op<unknown> {
    const generations = yield* this.io('list generations', () => this.storage.generations(this.name))
    const damage: JournalDiagnostic[] = []
    let found: Generation | undefined
    for (let i = generations.length - 1; i >= 0 && found === undefined; i--) {
      const generation = generations[i]!
      const bytes = yield* this.io(`read generation ${generation}`, () =>
        this.storage.read(this.name, generation, 0),
      )
      const scanned = scanGeneration(bytes, { journal: this.name, generation })
      if ('damage' in scanned) damage.push(this.diagnostic(generation, scanned.damage, 0, bytes.length))
      else {
        found = scanned
        if (scanned.tail.damage)
          damage.push(this.diagnostic(generation, scanned.tail.damage, scanned.tail.end, bytes.length))
      }
    }
    this.stale = false
    if (found === undefined) {
      // Nothing usable: start anew in a generation no damaged one is in the way of.
      this.generation = (generations.at(-1) ?? -1) + 1
      this.end = 0
      this.chain = { seq: 0, prev: 0 }
      this.checkpointSeq = 0
      this.checkpointBytes = 0
    } else {
      this.generation = found.generation
      this.end = found.tail.end
      this.chain = found.tail.chain
      this.checkpointSeq = found.checkpointSeq
      this.checkpointBytes = found.checkpointEnd
      this.version = found.version
    }
    this.setDamage(damage)
    return found === undefined ? this.initial : found.root
  }

  /** Catches up with other writers: reports their commits, or reloads after their compaction. */
  private *follow(): Op<void> {
    const generations = yield* this.io('list generations', () => this.storage.generations(this.name))
    const newest = generations.at(-1)
    if (newest === undefined && this.end === 0 && !this.stale) return
    if (this.stale || newest !== this.generation || this.end === 0) {
      const before = `${this.generation}:${this.end}:${this.chain.seq}`
      const root = yield* this.load()
      if (before !== `${this.generation}:${this.end}:${this.chain.seq}`)
        this.emit({ type: 'external', root, commits: [] })
      return
    }
    const bytes = yield* this.io(`read generation ${this.generation}`, () =>
      this.storage.read(this.name, this.generation, this.end),
    )
    const others = this.damage.filter((d) => d.generation !== this.generation)
    if (bytes.length === 0) return this.setDamage(others)
    const tail = scanTail(bytes, this.end, this.chain, { journal: this.name, generation: this.generation })
    const size = this.end + bytes.length
    this.end = tail.end
    this.chain = tail.chain
    this.setDamage(
      tail.damage ? [...others, this.diagnostic(this.generation, tail.damage, tail.end, size)] : others,
    )
    if (tail.commits.length > 0) {
      this.emit({ type: 'external', commits: tail.commits.map(({ seq, patches }) => ({ seq, patches })) })
    }
  }

  /** Appends one commit per patch frame, after catching up with anything appended meanwhile. */
  private *write(patchFrames: Uint8Array[]): Op<number[]> {
    for (;;) {
      yield* this.follow()
      this.assertUndamaged()
      const frames: Uint8Array[] = []
      let chain = this.chain
      let checkpointBytes = this.checkpointBytes
      if (this.end === 0) {
        // The first write creates the generation: header and checkpoint of the initial state.
        frames.push(this.header(this.generation, this.version))
        const checkpoint = encodeRecord('checkpoint', { seq: chain.seq, root: this.initial }, this.name)
        frames.push(checkpoint)
        chain = { seq: chain.seq, prev: frameCrc(checkpoint) }
        checkpointBytes = frames[0]!.length + checkpoint.length
      }
      const seqs: number[] = []
      for (const patchFrame of patchFrames) {
        if (patchFrame.length > 0) frames.push(patchFrame)
        const commit = encodeRecord('commit', { seq: chain.seq + 1, prev: hex32(chain.prev) }, this.name)
        frames.push(commit)
        chain = { seq: chain.seq + 1, prev: frameCrc(commit) }
        seqs.push(chain.seq)
      }
      const bytes = concat(frames)
      const appended = yield* this.mutate(`append to generation ${this.generation}`, () =>
        this.storage.append(this.name, this.generation, this.end, bytes),
      )
      if (appended) {
        this.end += bytes.length
        this.chain = chain
        this.checkpointBytes = checkpointBytes
        return seqs
      }
      // The log is not the size `follow` left it at: someone appended since (around again, their
      // commits first), or cut it (another writer's recover). A log shorter than what this writer
      // read would never match again, so when following finds nothing new it is read whole.
      const before = this.end
      yield* this.follow()
      if (this.end === before) this.stale = true
    }
  }

  private *rewrite(replacement?: { root: unknown; version?: number }): Op<void> {
    yield* this.follow()
    this.assertUndamaged()
    let root: unknown
    let seq = this.chain.seq
    let version = this.version
    if (replacement !== undefined) {
      root = replacement.root
      version = replacement.version ?? version
      seq += 1
    } else if (this.end === 0) {
      root = this.initial
    } else {
      const current = this.generation
      const bytes = yield* this.io(`read generation ${current}`, () =>
        this.storage.read(this.name, current, 0),
      )
      const scanned = scanGeneration(bytes.subarray(0, this.end), { journal: this.name, generation: current })
      if ('damage' in scanned)
        throw new JournalError(
          'JOURNAL_STORAGE',
          `journal '${this.name}': generation ${current} changed while it was compacted`,
          { journal: this.name, generation: current },
        )
      root = scanned.root
    }
    const generations = yield* this.io('list generations', () => this.storage.generations(this.name))
    const next = Math.max(this.generation, generations.at(-1) ?? -1) + 1
    const checkpoint = encodeRecord('checkpoint', { seq, root }, this.name)
    const bytes = concat([this.header(next, version), checkpoint])
    // The swap: once this append is durable, opening picks generation `next`.
    const created = yield* this.mutate(`create generation ${next}`, () =>
      this.storage.append(this.name, next, 0, bytes),
    )
    if (!created) {
      throw new JournalError(
        'JOURNAL_STORAGE',
        `journal '${this.name}': generation ${next} appeared while it was being written`,
        { journal: this.name, generation: next },
      )
    }
    this.generation = next
    this.end = bytes.length
    this.chain = { seq, prev: frameCrc(checkpoint) }
    this.checkpointSeq = seq
    this.checkpointBytes = bytes.length
    this.version = version
    for (const old of generations) {
      if (old < next)
        yield* this.mutate(`remove generation ${old}`, () => this.storage.remove(this.name, old))
    }
    this.emit({ type: 'compacted', generation: next, seq, bytes: bytes.length })
  }

  private *repair(): Op<Recovery | undefined> {
    yield* this.follow()
    if (this.damage.length === 0) return undefined
    const repaired = this.damage
    for (const d of repaired) {
      if (d.keep === 0)
        yield* this.mutate(`remove generation ${d.generation}`, () =>
          this.storage.remove(this.name, d.generation),
        )
      else
        yield* this.mutate(`truncate generation ${d.generation}`, () =>
          this.storage.truncate(this.name, d.generation, d.keep),
        )
    }
    const recovery: Recovery = { discarded: repaired.reduce((sum, d) => sum + d.size - d.keep, 0), repaired }
    this.damage = []
    this.lastRecovery = recovery
    this.emit({ type: 'recovered', recovery })
    return recovery
  }

  // ----- helpers -------------------------------------------------------------------------------

  private header(generation: number, version: number): Uint8Array {
    return encodeRecord('header', { name: this.name, generation, version }, this.name)
  }

  private io<T>(what: string, call: () => T | Promise<T>): Op<T> {
    return io(this.name, this.storage.label, what, call)
  }

  /** A call that changes the storage: if it fails, what landed is unknown until everything is read again. */
  private *mutate<T>(what: string, call: () => T | Promise<T>): Op<T> {
    try {
      return yield* this.io(what, call)
    } catch (error) {
      this.stale = true
      throw error
    }
  }

  private diagnostic(generation: number, damage: Damage, keep: number, size: number): JournalDiagnostic {
    const what = {
      torn: 'the log ends in the middle of a record (a write cut short)',
      checksum: 'a record does not match its checksum (corrupted bytes)',
      fork: 'a commit does not follow the one before it (two writers raced)',
    }[damage.reason]
    const loses =
      keep === 0 ? 'the whole generation, which never completed' : `${size - keep} bytes after offset ${keep}`
    return {
      reason: damage.reason,
      journal: this.name,
      generation,
      offset: damage.offset,
      keep,
      size,
      message: `journal '${this.name}' generation ${generation}: ${what} at offset ${damage.offset}; recover() discards ${loses}`,
    }
  }

  /** Replaces the known damage, reporting what is new. */
  private setDamage(damage: JournalDiagnostic[]): void {
    const known = new Set(this.damage.map((d) => `${d.generation}:${d.offset}:${d.size}`))
    this.damage = damage
    for (const d of damage)
      if (!known.has(`${d.generation}:${d.offset}:${d.size}`)) this.emit({ type: 'damaged', diagnostic: d })
  }

  private emit(event: JournalEvent): void {
    if (this.onEvent === undefined) return
    // Emitted after following the log, before anything is written: the listener may refuse.
    if (event.type === 'external') {
      this.onEvent(event)
      return
    }
    try {
      this.onEvent(event)
    } catch (error) {
      // A listener's bug must not abort a write halfway; it surfaces as an uncaught error.
      queueMicrotask(() => {
        throw error
      })
    }
  }

  private assertOpen(): void {
    if (this.closed)
      throw new JournalError('JOURNAL_CLOSED', `journal '${this.name}' is closed`, { journal: this.name })
  }

  private assertUndamaged(): void {
    const first = this.damage[0]
    if (first === undefined) return
    throw new JournalError('JOURNAL_DAMAGED', `${first.message}; call recover() before writing`, {
      journal: this.name,
      generation: first.generation,
      offset: first.offset,
    })
  }

  private invalid(message: string): never {
    throw new JournalError('JOURNAL_INVALID_ARGUMENT', `journal '${this.name}': ${message}`, {
      journal: this.name,
    })
  }
}
