import type { Runtime } from '@atoma/runtime'
import { useAtomaContext } from './context.js'

/** The runtime of the nearest `<RuntimeProvider>`. */
export function useRuntime(): Runtime {
  return useAtomaContext('useRuntime').runtime
}
