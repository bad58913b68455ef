import type { DehydratedState, Runtime } from '@atoma/runtime'

/** Every store of `runtime` as JSON-friendly data: render on the server, then send this along. */
export function dehydrate(runtime: Runtime): DehydratedState {
  return runtime.dehydrate()
}

/**
 * Sets the stores of `runtime` from `dehydrate`'s output, one `hydrate` transaction each. Call it
 * before the client's first render (or pass `initialState` to `RuntimeProvider`), so hydration
 * renders what the server rendered.
 */
export function hydrate(runtime: Runtime, data: DehydratedState): void {
  runtime.hydrate(data)
}
