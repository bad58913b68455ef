import type { Draft } from 'immer'
import { AtomaError } from '../errors.js'
import type { Trait } from '../trait.js'
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
  /** Fields a trait maintains (`computed`, `link`, `source` from @atoma/logic), by field name. */
  traits?: { readonly [K in keyof S]?: Trait }
  /** Overrides the runtime's instrumentation for this store. */
  instrumentation?: Instrumentation
}

/** A definition: a name and how the state starts. It holds no state; a runtime does. */
export interface StoreDef<S = unknown, P extends Payloads = Payloads> {
  readonly kind: 'store'
  readonly name: string
  readonly initial: S
  readonly actions: ActionRecipes<S, P>
  readonly traits?: { readonly [K in keyof S]?: Trait }
  readonly instrumentation?: Instrumentation
}

/**
 * Defines a store. The state type is inferred from `initial`, and each action's payload from its
 * recipe. To give the state type explicitly and still infer the payloads, use the curried form
 * (as zustand's `create<T>()(...)`): `defineStore<Ui>()('ui', { initial, actions })`.
 */
export function defineStore<S>(): <P extends Payloads = Empty>(
  name: string,
  options: StoreOptions<S, P>,
) => StoreDef<S, P>
export function defineStore<S, P extends Payloads = Empty>(
  name: string,
  options: StoreOptions<S, P>,
): StoreDef<S, P>
export function defineStore<S, P extends Payloads>(
  ...args: [] | [name: string, options: StoreOptions<S, P>]
): StoreDef<S, P> | ((name: string, options: StoreOptions<S, P>) => StoreDef<S, P>) {
  if (args.length === 0) return (name, options) => define(name, options)
  return define(...args)
}

// biome-ignore lint/complexity/noBannedTypes: `{}` is the empty payload map of a store without actions.
type Empty = {}

function define<S, P extends Payloads>(name: string, options: StoreOptions<S, P>): StoreDef<S, P> {
  assertName(name, 'defineStore')
  if (typeof options !== 'object' || options === null || !('initial' in options))
    throw new AtomaError(
      'INVALID_ARGUMENT',
      `defineStore('${name}'): options must be an object with an initial state`,
    )
  const def: StoreDef<S, P> = {
    kind: 'store',
    name,
    initial: options.initial,
    actions: options.actions ?? ({} as ActionRecipes<S, P>),
    ...(options.traits ? { traits: options.traits } : {}),
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
