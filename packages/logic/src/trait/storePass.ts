import type { PluginRuntime, TraitAttachment, TraitHost } from '@atoma/runtime'
import { isDraft, original } from 'immer'
import { type LogicTrait, publishGraph, SPEC, type TraitSpec, traitGraph } from './traitGraph.js'

export type State = Record<string, unknown>

/** A field's values inside one transaction's pass: the recipe's result, then what steps set. */
export interface Pass {
  get(field: string): unknown
  /** The whole state as the steps so far left it (a step's `derive(state)` and a source's key read it). */
  state(): State
  set(field: string, value: unknown): void
}

/** A field's part of its store's pass (computed, source), one per runtime. */
export interface Step {
  /** The fields it reads, or `undefined` when it reads the whole state (a source's key). */
  readonly deps: readonly string[] | undefined
  /** `base` is the state before the transaction, `undefined` for the initial state. */
  run(pass: Pass, base: State | undefined): void
  start?(runtime: PluginRuntime): void
  dispose?(): void
}

/** A trait whose field is maintained inside its store's transactions. */
export type StepTrait = LogicTrait & {
  readonly [SPEC]: TraitSpec & { step(store: string, field: string): Step }
}

interface Plan {
  steps: Map<string, Step>
  /** The field whose attachment runs the pass (the first in the store's declaration). */
  leader: string
  order: Step[]
}

const plans = new WeakMap<TraitHost['traits'], Map<string, Plan>>()

/**
 * Attaches a computed or source field. The runtime gives each trait a pass of its own over the
 * transaction; here one pass per store runs every such field of the store, in dependency order:
 * fewer drafts, and a field always sees the fields it derives from already updated, whatever
 * order they were declared in.
 */
export function attachStep(host: TraitHost): TraitAttachment {
  traitGraph(host.traits)
  const plan = planOf(host)
  const step = plan.steps.get(host.field) as Step
  const attachment: TraitAttachment = {
    start(runtime) {
      publishGraph(runtime, host.traits)
      step.start?.(runtime)
    },
  }
  if (step.dispose) attachment.dispose = () => step.dispose?.()
  if (plan.leader === host.field)
    attachment.derive = (draft, base) => runPass(plan.order, draft, base as State)
  return attachment
}

function planOf(host: TraitHost): Plan {
  let byStore = plans.get(host.traits)
  if (!byStore) {
    byStore = new Map()
    plans.set(host.traits, byStore)
  }
  let plan = byStore.get(host.store)
  if (plan) return plan
  const steps = new Map<string, Step>()
  for (const { store, field, trait } of host.traits) {
    const spec = (trait as Partial<StepTrait>)[SPEC]
    if (store === host.store && spec?.step) steps.set(field, spec.step(store, field))
  }
  plan = { steps, leader: steps.keys().next().value as string, order: order(steps) }
  byStore.set(host.store, plan)
  return plan
}

/**
 * Fields with known deps in dependency order, then the whole-state readers (sources, in
 * declaration order), then the fields that depend on those. The graph has no cycle (checked).
 */
function order(steps: ReadonlyMap<string, Step>): Step[] {
  const readsSource = new Map<string, boolean>()
  const dependsOnSource = (field: string): boolean => {
    const known = readsSource.get(field)
    if (known !== undefined) return known
    const step = steps.get(field)
    const result =
      step !== undefined &&
      (step.deps === undefined || step.deps.some((dep) => steps.has(dep) && dependsOnSource(dep)))
    readsSource.set(field, result)
    return result
  }
  const sorted = new Set<string>()
  const visit = (field: string) => {
    if (sorted.has(field)) return
    for (const dep of steps.get(field)?.deps ?? []) if (steps.has(dep)) visit(dep)
    sorted.add(field)
  }
  for (const field of steps.keys()) visit(field)
  const known = (field: string) => steps.get(field)?.deps !== undefined
  const groups = [
    [...sorted].filter((f) => known(f) && !dependsOnSource(f)),
    [...steps.keys()].filter((f) => !known(f)),
    [...sorted].filter((f) => known(f) && dependsOnSource(f)),
  ]
  return groups.flat().map((field) => steps.get(field) as Step)
}

function runPass(order: readonly Step[], draft: unknown, base: State | undefined): void {
  const target = draft as State
  // The recipe's result as it was committed to the draft, read without drafting anything.
  const result = (isDraft(draft) ? original(draft) : draft) as State
  let changes: Map<string, unknown> | undefined
  let view: State | undefined
  const pass: Pass = {
    get: (field) => (changes?.has(field) ? changes.get(field) : result[field]),
    state: () => {
      if (!changes) return result
      view ??= { ...result, ...Object.fromEntries(changes) }
      return view
    },
    set(field, value) {
      changes ??= new Map()
      changes.set(field, value)
      view = undefined
      target[field] = value
    },
  }
  for (const step of order) step.run(pass, base)
}
