import { AtomaError, type EffectOpMeta, type PluginRuntime, type Trait } from '@atoma/runtime'
import { messageOf } from '../messageOf.js'
import { attachStep, type State, type StepTrait } from './storePass.js'
import { SPEC } from './traitGraph.js'

/** Options of `computed`. */
export interface ComputedOptions<V> {
  /** Keeps the field's value (its identity, so no listener runs) when the new one is equal. */
  isEqual?: (a: V, b: V) => boolean
}

/**
 * A field derived from other fields of its store (`deps`), recomputed inside the transaction that
 * changed one of them: the change and the derived value land in one commit and one notification.
 * Each recompute is an EffectOp of kind `trait-computed`. With the state type given
 * (`defineStore<Cart>()(...)` or `(state: Cart) =>`), deps and the derived value are checked.
 */
export function computed<S extends object, V>(
  deps: readonly (keyof S & string)[],
  derive: (state: S) => V,
  options: ComputedOptions<V> = {},
): Trait {
  if (!Array.isArray(deps) || deps.length === 0 || deps.some((dep) => typeof dep !== 'string'))
    throw new AtomaError(
      'INVALID_ARGUMENT',
      'computed(deps, derive): deps must be a non-empty array of field names',
    )
  if (typeof derive !== 'function')
    throw new AtomaError('INVALID_ARGUMENT', 'computed(deps, derive): derive must be a function')
  const { isEqual } = options
  const trait: StepTrait = {
    kind: 'trait-computed',
    attach: attachStep,
    [SPEC]: {
      deps,
      step(store, field) {
        const name = `${store}.${field}`
        let host: PluginRuntime | undefined
        const compute = (state: State): V => {
          try {
            return derive(state as S)
          } catch (error) {
            throw new AtomaError(
              'RECIPE_FAILED',
              `computed ${name} threw: ${messageOf(error)} (state unchanged)`,
              { store, cause: error },
            )
          }
        }
        return {
          deps,
          start(runtime) {
            host = runtime
          },
          run(pass, base) {
            if (base === undefined) {
              const state = pass.state()
              for (const dep of deps)
                if (!(dep in state))
                  throw new AtomaError(
                    'INVALID_ARGUMENT',
                    `computed ${name}: '${dep}' is not a field of store '${store}' (fields: ${Object.keys(state).join(', ')})`,
                    { store },
                  )
            } else if (deps.every((dep) => Object.is(pass.get(dep), base[dep]))) return
            const state = pass.state()
            const meta: EffectOpMeta & { deps: readonly string[] } = { store, fieldPath: field, deps }
            const value = host
              ? host.runOp({
                  id: `trait:${name}`,
                  kind: 'trait-computed',
                  name,
                  meta,
                  run: () => compute(state),
                })
              : compute(state)
            const current = pass.get(field)
            if (isEqual ? isEqual(current as V, value) : Object.is(current, value)) return
            pass.set(field, value)
          },
        }
      },
    },
  }
  return trait
}
