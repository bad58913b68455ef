import type { Runtime } from '@atoma/runtime'
import type { QueryClient } from '@tanstack/query-core'
import { createContext, useContext } from 'react'

export interface AtomaContextValue {
  runtime: Runtime
  queryClient: QueryClient
}

export const AtomaContext = createContext<AtomaContextValue | null>(null)

/** The provider's runtime and QueryClient; `hook` names the caller in the error thrown outside one. */
export function useAtomaContext(hook: string): AtomaContextValue {
  const value = useContext(AtomaContext)
  if (value === null)
    throw new Error(
      `${hook} must be used inside <RuntimeProvider>: wrap the component tree in ` +
        '<RuntimeProvider runtime={runtime}> (or <RuntimeProvider options={...}>).',
    )
  return value
}
