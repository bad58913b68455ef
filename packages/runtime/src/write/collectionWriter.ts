import type { Draft } from 'immer'
import { AtomaError, fromErrorInfo, toErrorInfo } from '../errors.js'
import type { EntryResult, RouteStep, WriteEntry, WriteExecutionOutput } from '../execution/ports.js'
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

/**
 * The write chain of one collection (DESIGN §4): plan → optimistic commit → kernel →
 * writeback/rollback as a rebase of the pending writes → the recorded patch payload.
 */
export function createCollectionWriter<T>(ctx: CollectionContext<T>): CollectionWriter<T> {
  const store = ctx.def.name
  const visible = (id: Id) => ctx.cell.state.get(id)
  const entry = (op: PlanEntry<T>['op'], id: Id, value?: T, patches?: Patch[]): PlanEntry<T> => ({
    ...newEntryIds(),
    op,
    id,
    ...(value === undefined ? {} : { value }),
    ...(patches === undefined ? {} : { patches }),
    clientTimeMs: Date.now(),
  })
  const existing = (id: Id, op: string): T => {
    const current = visible(id)
    if (current === undefined)
      throw new AtomaError('NOT_FOUND', `collection '${store}': cannot ${op} '${id}', it does not exist`, {
        store,
        id,
      })
    return current
  }
  /** Runs an update/patch recipe on a base: the entity after it and the patches it made. */
  const produce = (id: Id, base: T, recipe: (draft: Draft<T>) => void | T, op: string) => {
    const [next, patches] = immer.produceWithPatches(base, recipe as (draft: Draft<T>) => void)
    const value = validateWrite(ctx.def.schema, store, next as T, id)
    if (ctx.def.keyOf(value) !== id)
      throw new AtomaError('VALIDATION', `collection '${store}': ${op} of '${id}' must not change its id`, {
        store,
        id,
      })
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

  return {
    create(item) {
      const value = validateWrite(ctx.def.schema, store, item)
      const id = ctx.def.keyOf(value)
      if (visible(id) !== undefined)
        throw new AtomaError('CONFLICT', `collection '${store}': cannot create '${id}', it already exists`, {
          store,
          id,
        })
      return run([entry('create', id, value)], 'create')
    },
    update: (id, recipe) => run([changeOf('update', id, recipe)], 'update'),
    patch: (id, partial) =>
      run(
        [
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
        ],
        'patch',
      ),
    upsert(item) {
      const value = validateWrite(ctx.def.schema, store, item)
      return run([entry('upsert', ctx.def.keyOf(value), value)], 'upsert')
    },
    delete(id) {
      existing(id, 'delete')
      return run([entry('delete', id)], 'delete')
    },
    patches(patches) {
      return run(planPatches(patches), 'patches', patches)
    },
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
          throw new AtomaError(
            'NOT_FOUND',
            `collection '${store}': patch into '${id}', which does not exist`,
            { store, id },
          )
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
      const checked = validateWrite(ctx.def.schema, store, value as T, id)
      if (before === undefined) entries.push(entry('create', id, checked))
      else if (whole) entries.push(entry('upsert', id, checked))
      else entries.push(entry('patch', id, checked, list))
    }
    return entries
  }

  function run(entries: PlanEntry<T>[], name: string, rawPatches?: readonly Patch[]): WriteHandle<T> {
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
    const waitFor = ctx.pending.earlierOverlapping(write).map((w) => w.settled)
    const result = (async (): Promise<WriteResult<T>> => {
      try {
        // Overlapping writes go out in order, each with the version its predecessor left.
        if (waitFor.length > 0) await Promise.all(waitFor)
        const output = await execute(write, optimistic.txnId)
        return await settleWrite(write, output, optimistic)
      } finally {
        settle()
      }
    })()
    const handle = result as WriteHandle<T>
    Object.defineProperties(handle, {
      txnId: { value: optimistic.txnId },
      unwrap: {
        value: () =>
          result.then((r) => {
            if (r.status !== 'rejected') return r
            const first = r.failed[0]?.error
            throw Object.assign(
              first ?? new AtomaError('REJECTED', `collection '${store}': the write was rejected`, { store }),
              { result: r },
            )
          }),
      },
    })
    return handle
  }

  function applyEntry(draft: CollectionDraftApi<T>, e: PlanEntry<T>): void {
    if (e.op === 'delete') draft.delete(e.id)
    else if (e.patches && draft.has(e.id)) immer.applyPatches(draft.get(e.id) as object, e.patches)
    else draft.set(e.id, e.value as T)
  }

  /** 2. execute: hand the entries to the kernel; a thrown failure rejects every entry. */
  async function execute(write: PendingWrite<T>, txnId: number): Promise<WriteExecutionOutput> {
    // Earlier writes on these ids have settled: express each recipe against the base the server
    // has now, so a rejected predecessor's change cannot leak into this entry's patches.
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
        const baseVersion = e.op === 'create' ? undefined : ctx.pending.versions.get(e.id)
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

  /** 3 + 4. writeback and rollback as one rebase of the pending writes, and the recorded payload. */
  async function settleWrite(
    write: PendingWrite<T>,
    output: WriteExecutionOutput,
    optimistic: TxnRecord,
  ): Promise<WriteResult<T>> {
    const results = new Map(output.items.map((r) => [r.entryId, r]))
    const items: EntryOutcome<T>[] = []
    const confirmed = new Map<Id, T | undefined>()
    for (const e of write.entries) {
      const r = results.get(e.entryId)
      if (!r || r.status === 'rejected') {
        const info =
          r?.status === 'rejected'
            ? r.error
            : { code: 'TRANSPORT' as const, message: 'no result for entry', retryable: true }
        items.push({
          entryId: e.entryId,
          op: e.op,
          id: e.id,
          status: 'rejected',
          error: fromErrorInfo(
            { ...info, message: `collection '${store}': ${e.op} of '${e.id}' was rejected: ${info.message}` },
            { store, id: e.id, entryId: e.entryId },
          ),
        })
        continue
      }
      let value: T | undefined
      if (e.op !== 'delete') {
        if (r.value === undefined || r.value === null)
          value = replay(e, ctx.pending.confirmedOf(e.id, visible(e.id)))
        else {
          try {
            ;[value] = await validateItems(ctx.def.schema, store, [r.value])
          } catch (error) {
            items.push({
              entryId: e.entryId,
              op: e.op,
              id: e.id,
              status: 'rejected',
              error: error as AtomaError,
            })
            continue
          }
        }
      }
      if (r.version !== undefined && value !== undefined) ctx.pending.versions.set(e.id, r.version)
      if (e.op === 'delete') ctx.pending.versions.delete(e.id)
      confirmed.set(e.id, value)
      items.push({
        entryId: e.entryId,
        op: e.op,
        id: e.id,
        status: 'confirmed',
        ...(value === undefined ? {} : { value }),
        ...(r.version === undefined ? {} : { version: r.version }),
      })
    }

    const next = ctx.pending.settle(write, confirmed)
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
}
