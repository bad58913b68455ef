import { createRuntime, type Runtime, type RuntimeOptions } from '@atoma/runtime'
import { hydrate as hydrateQueries, type QueryClient } from '@tanstack/query-core'
import { Fragment, type ReactElement, type ReactNode, useEffect, useMemo, useRef, useState } from 'react'
import { AtomaContext, type AtomaContextValue } from './context.js'
import { clientFor } from './queryClients.js'
import { type AtomaDehydratedState, startHydration } from './ssr.js'

interface CommonProps {
  /** The QueryClient that caches `useQuery` fetches; by default the provider creates its own. */
  queryClient?: QueryClient
  /**
   * `dehydrate(runtime)`'s output from the server (stores and query statuses): hydrated once,
   * before the first render, so `hydrateRoot` renders exactly what the server rendered. For state
   * that arrives later (per route), use `<AtomaHydrate state={…}>`.
   */
  initialState?: AtomaDehydratedState
  children?: ReactNode
}

/** The provider's props: a `runtime` the app created, or `options` to create one from (not both). */
export type RuntimeProviderProps = CommonProps &
  (
    | { /** A runtime the app created (and disposes). */ runtime: Runtime; options?: never }
    | {
        /** The provider creates its runtime from these, once, and disposes it on unmount. */
        options: RuntimeOptions
        runtime?: never
      }
  )

/**
 * Runtimes created from `options` but not committed yet, by options object. StrictMode (and React
 * 18's double render of a mount) calls the provider twice before anything is committed; both calls
 * must get the same runtime, or the discarded one would stay registered in the DevtoolsHub.
 */
const uncommitted = new WeakMap<RuntimeOptions, Runtime>()
/** Runtimes hydrated by a provider's `initialState`: once per runtime, whatever re-renders. */
const hydrated = new WeakSet<Runtime>()
/** A key per runtime, so a provider given another runtime remounts its tree (see below). */
const keys = new WeakMap<Runtime, number>()
let nextKey = 0

function runtimeFor(options: RuntimeOptions): Runtime {
  let runtime = uncommitted.get(options)
  if (!runtime) {
    runtime = createRuntime(options)
    uncommitted.set(options, runtime)
  }
  return runtime
}

function keyOf(runtime: Runtime): number {
  let key = keys.get(runtime)
  if (key === undefined) {
    key = nextKey++
    keys.set(runtime, key)
  }
  return key
}

/** Hosts a runtime and a QueryClient for the hooks below it (docs/architecture.md §9). */
export function RuntimeProvider(props: RuntimeProviderProps): ReactElement {
  const { queryClient: givenClient, initialState, children } = props
  // `options` is read once: like a store's initial state, later changes are ignored.
  const [owned] = useState(() =>
    props.runtime ? null : { runtime: runtimeFor(props.options), options: props.options },
  )
  const runtime = props.runtime ?? owned?.runtime
  if (!runtime) throw new Error('RuntimeProvider needs a `runtime` or an `options` prop.')
  useOwnedRuntime(owned)

  const queryClient = givenClient ?? clientFor(runtime)
  // In render, not in an effect: the children's first render (hydrateRoot's) must read hydrated stores.
  if (initialState && !hydrated.has(runtime)) {
    hydrated.add(runtime)
    const { existing } = startHydration(runtime, queryClient, initialState)
    hydrateQueries(queryClient, { queries: existing })
  }

  useEffect(() => {
    queryClient.mount()
    return () => queryClient.unmount()
  }, [queryClient])
  // With devtools on, the panel's Queries and Mutations views read this client's caches.
  useEffect(() => runtime.debug?.attachQueryClient(queryClient), [runtime, queryClient])

  const value = useMemo<AtomaContextValue>(() => ({ runtime, queryClient }), [runtime, queryClient])
  // Keyed by runtime: hooks hold that runtime's handles and trace only when it has devtools, so a
  // different runtime starts a fresh tree instead of mixing the two.
  return (
    <AtomaContext.Provider value={value}>
      <Fragment key={keyOf(runtime)}>{children}</Fragment>
    </AtomaContext.Provider>
  )
}

/**
 * Disposes a runtime the provider created when the provider unmounts. StrictMode unmounts and
 * remounts every effect once, synchronously: the dispose waits a microtask and the remount
 * cancels it, so the runtime lives exactly as long as the provider.
 */
function useOwnedRuntime(owned: { runtime: Runtime; options: RuntimeOptions } | null): void {
  const pendingDispose = useRef<{ cancelled: boolean } | null>(null)
  useEffect(() => {
    if (!owned) return
    const { runtime, options } = owned
    // Committed: a later provider given the same options object creates its own runtime.
    if (uncommitted.get(options) === runtime) uncommitted.delete(options)
    if (pendingDispose.current) pendingDispose.current.cancelled = true
    return () => {
      const pending = { cancelled: false }
      pendingDispose.current = pending
      queueMicrotask(() => {
        if (!pending.cancelled) runtime.dispose()
      })
    }
  }, [owned])
}
