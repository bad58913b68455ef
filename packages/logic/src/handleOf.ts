import {
  type AnyDef,
  AtomaError,
  type CollectionDef,
  type CollectionHandle,
  isAtomaError,
  type Payloads,
  type Runtime,
  type StoreDef,
  type StoreHandle,
} from '@atoma/runtime'

/**
 * `runtime.store(def)`, with the error saying who asked: a link, a source or a logic naming a
 * store that is not part of the runtime fails with `UNKNOWN_STORE` and the runtime's list of stores.
 */
export function handleOf<S, P extends Payloads>(
  runtime: Runtime,
  def: StoreDef<S, P>,
  who: string,
): StoreHandle<S, P>
export function handleOf<T>(runtime: Runtime, def: CollectionDef<T>, who: string): CollectionHandle<T>
export function handleOf(
  runtime: Runtime,
  def: AnyDef,
  who: string,
): StoreHandle<unknown> | CollectionHandle<unknown>
export function handleOf(runtime: Runtime, def: AnyDef, who: string): unknown {
  try {
    return runtime.store(def as StoreDef)
  } catch (error) {
    if (!isAtomaError(error)) throw error
    throw new AtomaError(error.code, `${who}: ${error.message}`, { store: error.store, cause: error })
  }
}
