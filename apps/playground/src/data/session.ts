import { USERS } from './users.js'

/** A signed-in user and the token the server checks (a JWT the start script's dev endpoint minted). */
export interface Session {
  user: string
  name: string
  token: string
  /** When the token stops being accepted (ms since the epoch). */
  expiresAt: number
}

export interface SessionState {
  session: Session | null
  /** The token expired (or the server refused it): requests wait for a new sign-in. */
  expired: boolean
  /** The sign-in picker is open over the board (to sign in again, or as someone else). */
  picking: boolean
}

/** Session lengths the picker offers: the short one is there to watch a session end. */
export const SESSION_LENGTHS = [
  { seconds: 60 * 60, label: '1 hour' },
  { seconds: 10, label: '10 seconds (to watch it expire)' },
] as const

// In localStorage, so the tabs of a browser share one sign-in (and one outbox, named by the user).
const KEY = 'atoma-playground:session'

let state: SessionState = { session: read(), expired: false, picking: false }
const listeners = new Set<() => void>()
let expiry: ReturnType<typeof setTimeout> | undefined

function set(next: Partial<SessionState>): void {
  state = { ...state, ...next }
  watchExpiry()
  for (const listener of [...listeners]) listener()
}

/** A session as stored, checked field by field: anything else reads as signed out. */
function read(): Session | null {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null')
    if (typeof raw !== 'object' || raw === null) return null
    const { user, token, expiresAt } = raw as Record<string, unknown>
    const known = USERS.find((candidate) => candidate.id === user)
    if (!known || typeof token !== 'string' || typeof expiresAt !== 'number') return null
    return { user: known.id, name: known.name, token, expiresAt }
  } catch {
    return null
  }
}

/** The token ends on the client's clock too, so the notice shows even while nothing is sent. */
function watchExpiry(): void {
  clearTimeout(expiry)
  const { session, expired } = state
  if (!session || expired) return
  const left = session.expiresAt - Date.now()
  if (left <= 0) state = { ...state, expired: true }
  else expiry = setTimeout(() => set({ expired: true }), Math.min(left, 2 ** 31 - 1))
}
watchExpiry()

// Another tab signed in or out.
window.addEventListener('storage', (event) => {
  if (event.key === KEY) set({ session: read(), expired: false })
})

export const sessions = {
  get: (): SessionState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  },

  /** Asks the dev endpoint for a token (the start script's server; see server/playgroundServer.js). */
  async signIn(user: string, expiresInSec: number): Promise<void> {
    const response = await fetch('/api/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, expiresInSec }),
    })
    const body = (await response.json().catch(() => ({}))) as {
      token?: string
      expiresAt?: number
      error?: { message: string }
    }
    if (!response.ok || typeof body.token !== 'string' || typeof body.expiresAt !== 'number')
      throw new Error(body.error?.message ?? `the sign-in endpoint answered ${response.status}`)
    const name = USERS.find((candidate) => candidate.id === user)?.name ?? user
    const session: Session = { user, name, token: body.token, expiresAt: body.expiresAt }
    localStorage.setItem(KEY, JSON.stringify(session))
    set({ session, expired: false, picking: false })
  },

  signOut(): void {
    localStorage.removeItem(KEY)
    set({ session: null, expired: false, picking: false })
  },

  /** The server answered 401 to `user`'s token: it has to sign in again. */
  expired(user: string): void {
    if (state.session?.user === user && !state.expired) set({ expired: true })
  },

  /**
   * The Authorization header of `user`'s requests: only while `user` is the one signed in, so a
   * runtime of one user never sends another's token (it gets a 401 and waits instead).
   */
  headersFor(user: string): Record<string, string> {
    return state.session?.user === user ? sessions.headers() : {}
  },

  /** The signed-in user's Authorization header (for the dev tools beside the board: chaos). */
  headers(): Record<string, string> {
    return state.session ? { authorization: `Bearer ${state.session.token}` } : {}
  },

  setPicking(picking: boolean): void {
    set({ picking })
  },
}
