import { useSyncExternalStore } from 'react'
import { type SessionState, sessions } from '../data/session.js'

/** Who is signed in, whether the session ended, and whether the picker is open. */
export function useSession(): SessionState {
  return useSyncExternalStore(sessions.subscribe, sessions.get, sessions.get)
}
