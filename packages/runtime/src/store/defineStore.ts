import type { Draft } from 'immer'
import { AtomaError } from '../errors.js'
import type { Instrumentation } from '../txn/types.js'

/** An action is an immer recipe: mutate the draft, or return a whole new state. */
export type ActionRecipe<S, P = undefined> = (draft: Draft<S>, payload: P) => void | S

/** Action name → payload type. Inferred from the recipes' payload parameters. */
export type Payloads = Record<string, unknown>

/** The actions of a store: one recipe per action name. */
export type ActionRecipes<S, P extends Payloads> = { [K in keyof P]: ActionRecipe<S, P[K]> }

/** The options of `defineStore`: the initial state and the actions. */
export interface StoreOptions<S, P extends Payloads> {
  initial: S
  actions?: ActionRecipes<S, P>
  /** Overrides the runtime's instrumentation for this store. */
  instrumentation?: Instrumentation
}

/** A definition: a name and how the state starts. It holds no state; a runtime does. */
export interface StoreDef<S = unknown, P extends Payloads = Payloads> {
  readonly kind: 'store'
  readonly name: string
  readonly initial: S
  readonly actions: ActionRecipes<S, P>
  readonly instrumentation?: Instrumentation
}

/** Defines a plain store: its initial state and its actions (throws `INVALID_ARGUMENT` on a bad name). */
// biome-ignore lint/complexity/noBannedTypes: `{}` is the empty payload map of a store without actions.
export function defineStore<S, P extends Payloads = {}>(
  name: string,
  options: StoreOptions<S, P>,
): StoreDef<S, P> {
  assertName(name, 'defineStore')
  const def: StoreDef<S, P> = {
    kind: 'store',
    name,
    initial: options.initial,
    actions: options.actions ?? ({} as ActionRecipes<S, P>),
    ...(options.instrumentation ? { instrumentation: options.instrumentation } : {}),
  }
  return Object.freeze(def)
}

export function assertName(name: unknown, where: string): asserts name is string {
  if (typeof name !== 'string' || name.length === 0)
    throw new AtomaError(
      'INVALID_ARGUMENT',
      `${where}: the store name must be a non-empty string, got ${String(name)}`,
    )
}
