import { useSyncExternalStore } from 'react'
import { type LoadState, loadStateOf } from '../data/loads.js'
import { useAtomaQueryClient } from './useBoard.js'

/** Whether the board's shown queries are loading for the first time, or one of them failed. */
export function useLoadState(): LoadState {
  const store = loadStateOf(useAtomaQueryClient())
  return useSyncExternalStore(store.subscribe, store.get, store.get)
}
