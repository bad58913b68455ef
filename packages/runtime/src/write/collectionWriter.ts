import type { Draft } from 'immer'
import { dataProblem } from '../data.js'
import { AtomaError, type ErrorInfo, fromErrorInfo, isAtomaError, toErrorInfo } from '../errors.js'
import type { EntryResult, RouteStep, WriteEntry, WriteExecutionOutput, WriteOp } from '../execution/ports.js'
import { type Patch, unsafeSegment } from '../patch.js'
import type { Id } from '../query/types.js'
import { type CollectionContext, runService } from '../store/collectionContext.js'
import type { CollectionDraftApi } from '../store/collectionDraft.js'
import { validateItems, validateWrite } from '../store/schema.js'
import { immer } from '../txn/immer.js'
import type { TxnRecord } from '../txn/types.js'
import type { PendingWrite } from './pendingWrites.js'
import { newEntryIds, type PlanEntry, replay } from './plan.js'
import { reconcile } from './reconcile.js'
import type { CollectionWriter, EntryOutcome, WriteHandle, WriteResult } from './types.js'

/** The write chain of one collection, and the way plugins resume persisted entries through it. */
export interface WriteChain<T> {
  readonly writer: CollectionWriter<T>
  resume(entries: readonly WriteEntry[]): WriteHandle<T>
}

/**
 * The write chain of one collection (docs/architecture.md §4): plan → optimistic commit → kernel →
 * writeback/rollback as a rebase of the pending writes → the recorded patch payload.
 *
 * A write never throws for what depends on data — a missing id, a create of an existing one, a
 * schema, a recipe or an unsafe value refusing it: its handle resolves `rejected` at once and
 * nothing changed. It throws only for misuse that no data can cause: arguments of the wrong type
 * (`INVALID_ARGUMENT`) and a write made inside a transaction of the same store
 * (`REENTRANT_TRANSACTION`).
 *
 * What a backend confirms is checked before anything settles: a value must be an object whose key
 * is the entry's id and which holds only safe data; otherwise that entry is rejected and rolled
 * back like any other rejection. A `CONFLICT` carrying the server's current item (or a `NOT_FOUND`)
 * lands that truth on the confirmed base, so the next write starts from the server's version.
 */
export function createWriteChain<T>(ctx: CollectionContext<T>): WriteChain<T> {
  const store = ctx.def.name
  const visible = (id: Id) => ctx.cell.state.get(id)
  const entry = (op: WriteOp, id: Id, value?: T, patches?: Patch[]): PlanEntry<T> => ({
    ...newEntryIds(),
    op,
    id,
    ...(value === undefined ? {} : { value }),
    ...(patches === undefined ? {} : { patches }),
    clientTimeMs: Date.now(),
  })
  const refused = (code: AtomaError['code'], message: string, id?: Id) =>
    new AtomaError(code, `collection '${store}': ${message}`, { store, ...(id === undefined ? {} : { id }) })
  const existing = (id: Id, op: string): T => {
    const current = visible(id)
    if (current === undefined) throw refused('NOT_FOUND', `cannot ${op} '${id}', it does not exist`, id)
    return current
  }
  /** Schema, key and data checks of an item about to be written; returns the schema's output. */
  const checked = (value: T, op: string, id?: Id): T => {
    if (typeof value !== 'object' || value === null)
      throw refused(
        'VALIDATION',
        `${op}${id === undefined ? '' : ` of '${id}'`}: an item must be an object`,
        id,
      )
    const problem = dataProblem(value)
    if (problem)
      throw refused('VALIDATION', `${op}${id === undefined ? '' : ` of '${id}'`} is refused: ${problem}`, id)
    return validateWrite(ctx.def.schema, store, value, id)
  }
  /** Runs an update/patch recipe on a base: the entity after it and the patches it made. */
  const produce = (id: Id, base: T, recipe: (draft: Draft<T>) => void | T, op: string) => {
    let next: T
    let patches: Patch[]
    try {
      ;[next, patches] = immer.produceWithPatches(base, recipe as (draft: Draft<T>) => void) as unknown as [
        T,
        Patch[],
      ]
    } catch (error) {
      if (isAtomaError(error)) throw error
      throw new AtomaError(
        'RECIPE_FAILED',
        `collection '${store}': the ${op} recipe of '${id}' threw: ${error instanceof Error ? error.message : String(error)}`,
        { store, id, cause: error },
      )
    }
    const value = checked(next, op, id)
    if (ctx.def.keyOf(value) !== id)
      throw refused('VALIDATION', `${op} of '${id}' must not change its id`, id)
    return { value, patches }
  }
  const changeOf = (
    op: 'update' | 'patch',
    id: Id,
    recipe: (draft: Draft<T>) => void | T,
    explicit?: Patch[],
  ) => {
    const { value, patches } = produce(id, existing(id, op), recipe, op)
    return { ...entry(op, id, value, explicit ?? patches), recipe }
  }
  const keyOf = (value: T, op: string): Id => {
    try {
      return ctx.def.keyOf(value)
    } catch (error) {
      if (isAtomaError(error)) throw error
      throw new AtomaError('RECIPE_FAILED', `collection '${store}': the key function threw on a ${op}`, {
        store,
        cause: error,
      })
    }
  }

  const writer: CollectionWriter<T> = {
    create: (item) =>
      plan('create', () => {
        const value = checked(item, 'create')
        const id = keyOf(value, 'create')
        if (visible(id) !== undefined)
          throw refused('CONFLICT', `cannot create '${id}', it already exists`, id)
        return [entry('create', id, value)]
      }),
    update(id, recipe) {
      if (typeof recipe !== 'function') throw misuse(`update('${id}', recipe): the recipe must be a function`)
      return plan('update', () => [changeOf('update', id, recipe)])
    },
    patch(id, partial) {
      if (typeof partial !== 'object' || partial === null)
        throw misuse(`patch('${id}', partial): the partial must be an object`)
      return plan('patch', () => {
        const problem = dataProblem(partial)
        if (problem) throw refused('VALIDATION', `patch of '${id}' is refused: ${problem}`, id)
        return [
          changeOf(
            'patch',
            id,
            (draft) => {
              Object.assign(draft as object, partial)
            },
            // Every field the caller named is part of the intent, even one already equal.
            Object.entries(partial as object).map(
              ([key, value]): Patch => ({ op: 'replace', path: [key], value }),
            ),
          ),
        ]
      })
    },
    upsert: (item) =>
      plan('upsert', () => {
        const value = checked(item, 'upsert')
        return [entry('upsert', keyOf(value, 'upsert'), value)]
      }),
    delete: (id) =>
      plan('delete', () => {
        existing(id, 'delete')
        return [entry('delete', id)]
      }),
    patches(patches) {
      if (!Array.isArray(patches)) throw misuse('patches(patches): the patches must be an array')
      return plan('patches', () => planPatches(patches), patches)
    },
  }

  function misuse(message: string): AtomaError {
    return new AtomaError('INVALID_ARGUMENT', `collection '${store}': ${message}`, { store })
  }

  /** Builds the entries; a data-dependent refusal becomes a handle resolved `rejected`. */
  function plan(name: string, build: () => PlanEntry<T>[], rawPatches?: readonly Patch[]): WriteHandle<T> {
    let entries: PlanEntry<T>[]
    try {
      entries = build()
    } catch (error) {
      return refusedHandle(
        isAtomaError(error)
          ? error
          : new AtomaError('RECIPE_FAILED', `collection '${store}': the ${name} failed: ${String(error)}`, {
              store,
              cause: error,
            }),
      )
    }
    return run(entries, name, rawPatches)
  }

  /** Groups logical patches by entity into one entry each, computed on the visible state. */
  function planPatches(patches: readonly Patch[]): PlanEntry<T>[] {
    const byId = new Map<Id, Patch[]>()
    for (const patch of patches) {
      const [id, ...rest] = patch.path
      const segment = unsafeSegment(patch.path)
      if (id === undefined || segment !== undefined)
        throw new AtomaError(
          id === undefined ? 'INVALID_ARGUMENT' : 'UNSAFE_PATCH',
          `collection '${store}': patch path [${patch.path.join(', ')}] is refused` +
            (id === undefined ? ' (it must start with an entity id)' : ` (it contains '${segment}')`),
          { store },
        )
      const problem = dataProblem(patch.value)
      if (problem) throw refused('VALIDATION', `a patch of '${id}' is refused: ${problem}`, id)
      const list = byId.get(id) ?? []
      list.push({ ...patch, path: rest })
      byId.set(id, list)
    }
    const entries: PlanEntry<T>[] = []
    for (const [id, list] of byId) {
      const before = visible(id)
      let value: unknown = before
      let whole = false
      for (const patch of list) {
        if (patch.path.length === 0) {
          whole = true
          value = patch.op === 'remove' ? undefined : patch.value
        } else if (value === undefined) {
          throw refused('NOT_FOUND', `patch into '${id}', which does not exist`, id)
        } else {
          try {
            value = immer.applyPatches(value as object, [patch])
          } catch (error) {
            throw new AtomaError(
              'INVALID_ARGUMENT',
              `collection '${store}': a patch of '${id}' does not apply: ${String(error)}`,
              {
                store,
                id,
                cause: error,
              },
            )
          }
        }
      }
      if (value === undefined) {
        if (before !== undefined) entries.push(entry('delete', id))
        continue
      }
      const item = checked(value as T, 'patches', id)
      if (keyOf(item, 'patches') !== id)
        throw refused('VALIDATION', `patches of '${id}' must not change its id`, id)
      if (before === undefined) entries.push(entry('create', id, item))
      else if (whole) entries.push(entry('upsert', id, item))
      else entries.push(entry('patch', id, item, list))
    }
    return entries
  }

  /** A write refused before its optimistic commit: nothing changed, nothing was sent. */
  function refusedHandle(error: AtomaError): WriteHandle<T> {
    const result: WriteResult<T> = {
      status: 'rejected',
      txnId: undefined,
      items: [],
      failed: [],
      error,
      patches: [],
      inversePatches: [],
    }
    return handleOf(Promise.resolve(result), undefined)
  }

  function handleOf(result: Promise<WriteResult<T>>, txnId: number | undefined): WriteHandle<T> {
    const handle = result as WriteHandle<T>
    Object.defineProperties(handle, {
      txnId: { value: txnId },
      unwrap: {
        value: () =>
          result.then((r) => {
            if (r.status !== 'rejected') return r
            const first = r.error ?? r.failed[0]?.error
            throw Object.assign(
              first ?? new AtomaError('REJECTED', `collection '${store}': the write was rejected`, { store }),
              { result: r },
            )
          }),
      },
    })
    return handle
  }

  function run(entries: PlanEntry<T>[], name: string, rawPatches?: readonly Patch[]): WriteHandle<T> {
    if (entries.length === 0) return handleOf(Promise.resolve(emptyResult()), undefined)
    const queued = ctx.writes.queued
    if (queued) {
      // A queue delivers writes to one id in order itself: each entry is based on the version the
      // writer saw, and the queue moves it along as the earlier entries are confirmed.
      for (const e of entries)
        e.pinned ??= { baseVersion: e.op === 'create' ? undefined : ctx.pending.versions.get(e.id) }
    }
    const before = new Map(entries.map((e) => [e.id, visible(e.id)]))
    const changedIds = entries.map((e) => e.id)
    // 1. optimistic: the plan, applied in one transaction; changedIds come from the plan.
    const optimistic = ctx.transactor.transact(
      ctx.cell,
      (draft: CollectionDraftApi<T>) => {
        for (const e of entries) applyEntry(draft, e)
      },
      // One opId links the optimistic commit to its writeback/rollback (devtools draw the chain).
      { kind: 'optimistic', name, opId: entries[0]?.entryId ?? name },
      rawPatches ? { changedIds, recordPatches: rawPatches } : { changedIds },
    )
    let settle!: () => void
    const write = ctx.pending.add(
      entries,
      (id) => before.get(id),
      new Promise<void>((done) => (settle = done)),
    )
    ctx.pending.notify()
    const waitFor = queued ? [] : ctx.pending.earlierOverlapping(write).map((w) => w.settled)
    const result = (async (): Promise<WriteResult<T>> => {
      try {
        // Overlapping writes go out in order, each with the version its predecessor left.
        if (waitFor.length > 0) await Promise.all(waitFor)
        const output = await execute(write, optimistic.txnId, queued)
        return await settleWrite(write, output, optimistic)
      } finally {
        settle()
      }
    })()
    return handleOf(result, optimistic.txnId)
  }

  function emptyResult(): WriteResult<T> {
    return { status: 'confirmed', txnId: undefined, items: [], failed: [], patches: [], inversePatches: [] }
  }

  function applyEntry(draft: CollectionDraftApi<T>, e: PlanEntry<T>): void {
    if (e.op === 'delete') {
      draft.delete(e.id)
      return
    }
    if (e.patches && draft.has(e.id)) {
      try {
        immer.applyPatches(draft.get(e.id) as object, e.patches)
        return
      } catch {
        // A resumed entry's patches may not fit the item as it is now: its value says the intent.
      }
    }
    if (e.value !== undefined) draft.set(e.id, e.value)
  }

  /** 2. execute: hand the entries to the kernel; a thrown failure rejects every entry. */
  async function execute(
    write: PendingWrite<T>,
    txnId: number,
    queued: boolean,
  ): Promise<WriteExecutionOutput> {
    // Earlier writes on these ids have settled: express each recipe against the base the server
    // has now, so a rejected predecessor's change cannot leak into this entry's patches. A queue
    // sends what was planned: it orders the entries, and a careful backend applies the patches.
    if (!queued)
      for (const e of write.entries) {
        if (!e.recipe) continue
        const base = ctx.pending.confirmedOf(e.id, visible(e.id))
        if (base === undefined) continue
        try {
          const fresh = produce(e.id, base, e.recipe, e.op)
          e.value = fresh.value
          // A patch keeps its explicit field list; an update sends what its recipe changes now.
          if (e.op === 'update') e.patches = fresh.patches
        } catch {
          // The recipe no longer applies to the new base; send the planned change and let the backend judge.
        }
      }
    const input = {
      store,
      entries: write.entries.map((e): WriteEntry => {
        const baseVersion = e.pinned
          ? e.pinned.baseVersion
          : e.op === 'create'
            ? undefined
            : ctx.pending.versions.get(e.id)
        return {
          entryId: e.entryId,
          op: e.op,
          id: e.id,
          ...(e.value === undefined ? {} : { value: e.value }),
          ...(e.patches === undefined ? {} : { patches: e.patches }),
          ...(baseVersion === undefined ? {} : { baseVersion }),
          idempotencyKey: e.idempotencyKey,
          clientTimeMs: e.clientTimeMs,
        }
      }),
    }
    try {
      return await runService(ctx as CollectionContext<unknown>, 'write', txnId, () =>
        ctx.writes.execute(input),
      )
    } catch (error) {
      const info = toErrorInfo(error)
      return {
        status: 'rejected',
        items: write.entries.map(
          (e): EntryResult => ({ entryId: e.entryId, status: 'rejected', error: info }),
        ),
        meta: { source: 'local', route: (error as { route?: RouteStep[] }).route ?? [] },
      }
    }
  }

  /**
   * A value a backend sent as the truth about `id`: an object holding only safe data whose key is
   * `id`, valid under the schema. Returns the schema's output or the reason it is refused.
   */
  async function serverValue(
    id: Id,
    value: unknown,
    what: string,
  ): Promise<{ value: T } | { error: AtomaError }> {
    const bad = (why: string) => ({
      error: new AtomaError('VALIDATION', `collection '${store}': ${what} of '${id}' is refused: ${why}`, {
        store,
        id,
      }),
    })
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('it is not an object')
    const problem = dataProblem(value)
    if (problem) return bad(problem)
    let item: T
    try {
      ;[item] = (await validateItems(ctx.def.schema, store, [value])) as [T]
    } catch (error) {
      return {
        error: isAtomaError(error) ? error : new AtomaError('VALIDATION', String(error), { store, id }),
      }
    }
    let key: Id
    try {
      key = ctx.def.keyOf(item)
    } catch {
      return bad('it has no valid id')
    }
    if (key !== id) return bad(`it carries the id '${String(key)}'`)
    return { value: item }
  }

  /** 3 + 4. writeback and rollback as one rebase of the pending writes, and the recorded payload. */
  async function settleWrite(
    write: PendingWrite<T>,
    output: WriteExecutionOutput,
    optimistic: TxnRecord,
  ): Promise<WriteResult<T>> {
    const results = new Map(output.items.map((r) => [r.entryId, r]))
    const items: EntryOutcome<T>[] = []
    // id → what the server says it holds now: a confirmed value, or the truth a rejection told.
    const landed = new Map<Id, T | undefined>()
    // What the answer taught about each id's server version, recorded once the whole answer is read.
    const learned = new Map<Id, { version: number | undefined; deleted: boolean }>()
    for (const e of write.entries) {
      const r = results.get(e.entryId)
      const reject = (error: AtomaError) =>
        items.push({ entryId: e.entryId, op: e.op, id: e.id, status: 'rejected', error })
      if (!r || r.status === 'rejected') {
        const info =
          r?.status === 'rejected'
            ? r.error
            : { code: 'TRANSPORT' as const, message: 'no result for entry', retryable: true }
        reject(
          fromErrorInfo(
            { ...info, message: `collection '${store}': ${e.op} of '${e.id}' was rejected: ${info.message}` },
            { store, id: e.id, entryId: e.entryId },
          ),
        )
        await heal(e, info, landed, learned)
        continue
      }
      let value: T | undefined
      if (e.op !== 'delete') {
        if (r.value === undefined || r.value === null)
          value = replay(e, ctx.pending.confirmedOf(e.id, visible(e.id)))
        else {
          const checkedValue = await serverValue(e.id, r.value, `the confirmation of the ${e.op}`)
          if ('error' in checkedValue) {
            reject(checkedValue.error)
            continue
          }
          value = checkedValue.value
        }
      }
      // Newer server data already landed (a pull that read past this write): it stays the base;
      // an older confirmation landing over it would lose the changes after it for good.
      if (!ctx.pending.superseded(e.id, r.version)) {
        landed.set(e.id, value)
        // Our own delete leaves no tombstone: our later writes to the id wait for it (or go in order
        // through an outbox), and a node may count a re-created item's versions from 1 again.
        learned.set(
          e.id,
          e.op === 'delete' ? { version: undefined, deleted: true } : { version: r.version, deleted: false },
        )
      }
      items.push({
        entryId: e.entryId,
        op: e.op,
        id: e.id,
        status: 'confirmed',
        ...(value === undefined ? {} : { value }),
        ...(r.version === undefined ? {} : { version: r.version }),
        ...(r.resolution === undefined ? {} : { resolution: r.resolution }),
      })
    }
    for (const [id, { version, deleted }] of learned) ctx.pending.learn(id, version, deleted)

    const next = ctx.pending.settle(write, landed)
    const failed = items.filter((i) => i.status === 'rejected')
    const status = failed.length === 0 ? 'confirmed' : failed.length === items.length ? 'rejected' : 'partial'
    const commit = (ids: Id[], origin: 'writeback' | 'rollback') =>
      ctx.transactor.transact(
        ctx.cell,
        (draft: CollectionDraftApi<T>) => {
          for (const id of ids) reconcile(draft, id, next.get(id))
        },
        { kind: origin, name: optimistic.origin.name ?? 'write', opId: optimistic.origin.opId ?? '' },
        { changedIds: ids },
      )
    let writeback: TxnRecord | undefined
    let rollback: TxnRecord | undefined
    ctx.batch(() => {
      const ok = items.filter((i) => i.status === 'confirmed').map((i) => i.id)
      if (ok.length > 0) writeback = commit(ok, 'writeback')
      if (failed.length > 0)
        rollback = commit(
          failed.map((i) => i.id),
          'rollback',
        )
    })
    ctx.pending.notify()

    const result: WriteResult<T> = {
      status,
      txnId: optimistic.txnId,
      items,
      failed,
      patches: [...optimistic.patches, ...(writeback?.patches ?? [])],
      inversePatches: [...(writeback?.inversePatches ?? []), ...optimistic.inversePatches],
      meta: output.meta,
    }
    if (writeback) result.writebackTxnId = writeback.txnId
    if (rollback) result.rollbackTxnId = rollback.txnId
    return result
  }

  /**
   * What a rejection tells about the server: a CONFLICT's `current` (with `currentVersion`) is the
   * item the server holds, a NOT_FOUND of an update/patch/delete says it holds none. Landing that on
   * the base heals the id: the next write carries the right `baseVersion` instead of conflicting
   * forever. A `current` that fails the checks teaches nothing and is ignored.
   */
  async function heal(
    e: PlanEntry<T>,
    info: ErrorInfo,
    landed: Map<Id, T | undefined>,
    learned: Map<Id, { version: number | undefined; deleted: boolean }>,
  ): Promise<void> {
    if (landed.has(e.id)) return
    if (info.code === 'NOT_FOUND' && e.op !== 'create' && e.op !== 'upsert') {
      landed.set(e.id, undefined)
      learned.set(e.id, { version: undefined, deleted: true })
      return
    }
    if (info.code !== 'CONFLICT' || info.current === undefined || info.current === null) return
    const version = typeof info.currentVersion === 'number' ? info.currentVersion : undefined
    if (ctx.pending.superseded(e.id, version)) return
    const current = await serverValue(e.id, info.current, 'the current item of a conflict')
    if ('error' in current) return
    landed.set(e.id, current.value)
    learned.set(e.id, { version, deleted: false })
  }

  /** Persisted entries again (a sync outbox after a reload): the same ids, keys and base versions. */
  function resume(entries: readonly WriteEntry[]): WriteHandle<T> {
    const plan: PlanEntry<T>[] = []
    for (const e of entries) {
      const problem = dataProblem(e.value) ?? dataProblem(e.patches)
      if (problem)
        return refusedHandle(
          refused('VALIDATION', `a resumed ${e.op} of '${String(e.id)}' is refused: ${problem}`, e.id),
        )
      plan.push({
        entryId: e.entryId,
        op: e.op,
        id: e.id,
        ...(e.value === undefined ? {} : { value: e.value as T }),
        ...(e.patches === undefined ? {} : { patches: e.patches }),
        idempotencyKey: e.idempotencyKey,
        clientTimeMs: e.clientTimeMs,
        pinned: { baseVersion: e.baseVersion },
      })
    }
    return run(plan, 'resume')
  }

  return { writer, resume }
}
