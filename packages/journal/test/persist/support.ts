import type { PersistApi } from '@atoma/journal/persist'
import type { Payloads, Runtime, StoreDef } from '@atoma/runtime'

/** Resolves at the store's next commit that satisfies `until` (a commit from another runtime). */
export function nextState<S, P extends Payloads>(
  runtime: Runtime,
  store: StoreDef<S, P>,
  until: (state: S) => boolean,
): Promise<S> {
  const handle = runtime.store(store)
  if (until(handle.getState())) return Promise.resolve(handle.getState())
  return new Promise((resolve) => {
    const stop = handle.subscribe((state) => {
      if (!until(state)) return
      stop()
      resolve(state)
    })
  })
}

/** Resolves once `api` reports `store` as no longer hydrating. */
export function settled(api: PersistApi, store: string): Promise<void> {
  if (api.status(store).status !== 'hydrating') return Promise.resolve()
  return new Promise((resolve) => {
    const stop = api.subscribe(() => {
      if (api.status(store).status === 'hydrating') return
      stop()
      resolve()
    })
  })
}
