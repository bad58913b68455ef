import { useSyncExternalStore } from 'react'
import { network } from '../data/network.js'

/** Whether the network control's offline switch is on. */
export function useOffline(): boolean {
  return useSyncExternalStore(network.subscribe, network.isOffline, network.isOffline)
}
