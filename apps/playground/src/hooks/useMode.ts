import { useSyncExternalStore } from 'react'
import type { Mode } from '../data/runtimes.js'

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}
const read = (): Mode => (window.location.hash === '#/offline' ? 'offline' : 'server')

/** `#/offline` is the IndexedDB board; anything else the server's. */
export function useMode(): Mode {
  return useSyncExternalStore(subscribe, read, read)
}
