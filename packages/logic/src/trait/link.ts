import {
  AtomaError,
  type CollectionDef,
  type CollectionState,
  type EffectOpMeta,
  type Payloads,
  type StoreDef,
  type Trait,
} from '@atoma/runtime'
import { handleOf } from '../handleOf.js'
import { messageOf } from '../messageOf.js'
import { type LogicTrait, publishGraph, SPEC, traitGraph } from './traitGraph.js'

/** Options of `link`. */
export interface LinkOptions<V> {
  /** When the selected value counts as unchanged (default `Object.is`): nothing is propagated. */
  isEqual?: (a: V, b: V) => boolean
}

/**
 * A field that follows another store: `selector(fromState)`, brought in as one commit of this
 * store (origin `sync`, an EffectOp of kind `trait-link`) each time the selection changes, and
 * once when the runtime starts if it differs from the initial value. Computed fields of this
 * store that derive from it recompute in that same commit.
 */
export function link<F, P extends Payloads, V>(
  from: StoreDef<F, P>,
  selector: (state: F) => V,
  options?: LinkOptions<V>,
): Trait
export function link<T, V>(
  from: CollectionDef<T>,
  selector: (state: CollectionState<T>) => V,
  options?: LinkOptions<V>,
): Trait
export function link(
  from: StoreDef | CollectionDef,
  selector: (state: never) => unknown,
  options: LinkOptions<unknown> = {},
): Trait {
  if (typeof from?.name !== 'string' || (from.kind !== 'store' && from.kind !== 'collection'))
    throw new AtomaError(
      'INVALID_ARGUMENT',
      'link(from, selector): from must be a store or collection definition',
    )
  if (typeof selector !== 'function')
    throw new AtomaError('INVALID_ARGUMENT', `link(${from.name}, selector): selector must be a function`)
  const isEqual = options.isEqual ?? Object.is
  const select = selector as (state: unknown) => unknown
  const trait: LogicTrait = {
    kind: 'trait-link',
    [SPEC]: { from: from.name },
    attach(host) {
      traitGraph(host.traits)
      const { store, field } = host
      const name = `${store}.${field}`
      let stop: (() => void) | undefined
      return {
        start(runtime) {
          publishGraph(runtime, host.traits)
          const source = handleOf(runtime.runtime, from, `link(${from.name}) into ${name}`)
          const bring = (value: unknown) => {
            const meta: EffectOpMeta & { deps: readonly string[] } = {
              store,
              fieldPath: field,
              deps: [from.name],
              resourceId: from.name,
            }
            runtime.runOp({
              id: `trait:${name}`,
              kind: 'trait-link',
              name,
              payload: value,
              meta,
              run: () =>
                runtime.transact(
                  store,
                  (draft: Record<string, unknown>) => {
                    draft[field] = value
                  },
                  { kind: 'sync', name: `link from ${from.name}` },
                ),
            })
          }
          let last = select(source.getState())
          const align = () => {
            if (!isEqual((runtime.getState(store) as Record<string, unknown>)[field], last)) bring(last)
          }
          align()
          // A failing selector or commit is reported; it must not fail the commit of `from` that
          // triggered it (that commit's caller did nothing wrong).
          stop = source.subscribe((state) => {
            try {
              const value = select(state)
              if (isEqual(last, value)) return
              last = value
              bring(value)
            } catch (error) {
              runtime.diagnostic(
                'logic::trait_failed',
                `link ${name} from '${from.name}' failed: ${messageOf(error)}`,
                { store, field },
              )
            }
          })
          // Hydration (a persist plugin's start) replaces the state without any trait running:
          // once the runtime is ready, the field follows `from` again if the stored value did not.
          Promise.resolve()
            .then(() => runtime.runtime.ready())
            .catch(() => {})
            .then(() => {
              if (stop) align()
            })
        },
        dispose() {
          stop?.()
          stop = undefined
        },
      }
    },
  }
  return trait
}
