import { hydrate as hydrateQueries } from '@tanstack/query-core'
import { type ReactNode, useEffect } from 'react'
import { useAtomaContext } from './context.js'
import { type AtomaDehydratedState, type Hydration, startHydration } from './ssr.js'

/** The props of `AtomaHydrate`. */
export interface AtomaHydrateProps {
  /** `dehydrate(runtime)` of the server's render of this route (`@atoma/react/server`). */
  state: AtomaDehydratedState
  children?: ReactNode
}

/**
 * Each state's hydration, per runtime: render may run twice (StrictMode, a suspended render
 * retried) and must hydrate once. Keyed by the state object, which a server component's props
 * keep for the life of the route.
 */
const started = new WeakMap<
  object,
  WeakMap<AtomaDehydratedState, { hydration: Hydration; landed: boolean }>
>()

/**
 * Brings a route's server state into the provider's runtime and QueryClient before its children
 * render, as TanStack Query's `HydrationBoundary`: stores the client holds nothing of land at once
 * (so hydration matches the server's HTML), queries new to the cache too; collections the client
 * already holds items of merge item by item (pending writes stay, older versions never overwrite
 * newer), and the children suspend until that landed, so they never render a view without its
 * items. Queries the cache already has are updated after the commit when the server's are newer.
 */
export function AtomaHydrate({ state, children }: AtomaHydrateProps): ReactNode {
  const { runtime, queryClient } = useAtomaContext('AtomaHydrate')
  let perRuntime = started.get(runtime)
  if (!perRuntime) {
    perRuntime = new WeakMap()
    started.set(runtime, perRuntime)
  }
  let entry = perRuntime.get(state)
  if (!entry) {
    const hydration = startHydration(runtime, queryClient, state)
    const made = { hydration, landed: hydration.landing === undefined }
    hydration.landing?.then(
      () => {
        made.landed = true
      },
      (error: unknown) => {
        // The client fetches what it renders anyway: a refused merge is reported, not fatal.
        made.landed = true
        console.error('AtomaHydrate: the server state could not be merged into the runtime', error)
      },
    )
    perRuntime.set(state, made)
    entry = made
  }
  const { hydration } = entry
  useEffect(() => {
    if (hydration.existing.length > 0) hydrateQueries(queryClient, { queries: hydration.existing })
  }, [queryClient, hydration])
  if (!entry.landed && hydration.landing) throw hydration.landing.catch(() => {})
  return children
}
