/**
 * Exactly one tab of an origin pushes and pulls for a shared outbox: the one holding the lock
 * `atoma-sync:<name>` (the Web Locks API; the next tab gets it when the holder closes or crashes).
 * Where Web Locks are missing, tabs elect over a BroadcastChannel: the leader says so every
 * `heartbeatMs`; a tab that hears nobody for three beats claims the lead, and of two claims the
 * lower id wins.
 */
export interface Leadership {
  readonly leader: boolean
  onChange(listener: (leader: boolean) => void): () => void
  dispose(): void
}

interface LockManagerLike {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>
}

export interface LeadershipOptions {
  name: string
  /** Default `navigator.locks` where it exists. `null` forces the BroadcastChannel election. */
  locks?: LockManagerLike | null
  heartbeatMs?: number
}

export function elect(options: LeadershipOptions): Leadership {
  const locks =
    options.locks === undefined
      ? (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks
      : (options.locks ?? undefined)
  return locks
    ? lockLeadership(options.name, locks)
    : channelLeadership(options.name, options.heartbeatMs ?? 1000)
}

/** The only tab there is (an outbox no other tab shares). */
export function soleLeadership(): Leadership {
  return { leader: true, onChange: () => () => {}, dispose() {} }
}

function observable() {
  let leader = false
  const listeners = new Set<(leader: boolean) => void>()
  return {
    get leader() {
      return leader
    },
    set(next: boolean) {
      if (next === leader) return
      leader = next
      for (const listener of [...listeners]) listener(next)
    },
    onChange(listener: (leader: boolean) => void) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}

function lockLeadership(name: string, locks: LockManagerLike): Leadership {
  const state = observable()
  const controller = new AbortController()
  let release: (() => void) | undefined
  locks
    .request(`atoma-sync:${name}`, { signal: controller.signal }, () => {
      state.set(true)
      return new Promise<void>((done) => (release = done))
    })
    .catch(() => {
      // Aborted while waiting for the lock: this tab is going away.
    })
  return {
    get leader() {
      return state.leader
    },
    onChange: state.onChange,
    dispose() {
      controller.abort()
      release?.()
      state.set(false)
    },
  }
}

type Message =
  | { t: 'lead'; id: string }
  | { t: 'claim'; id: string }
  | { t: 'who' }
  | { t: 'resign'; id: string }

function channelLeadership(name: string, heartbeatMs: number): Leadership {
  const state = observable()
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
  const channel = new BroadcastChannel(`atoma-sync-election:${name}`)
  let lastHeard = 0
  let rival: string | undefined
  let claiming: ReturnType<typeof setTimeout> | undefined
  const send = (message: Message) => channel.postMessage(message)

  channel.onmessage = (event: MessageEvent<Message>) => {
    const message = event.data
    if (message.t === 'who' && state.leader) send({ t: 'lead', id })
    else if (message.t === 'lead') {
      lastHeard = Date.now()
      if (state.leader && message.id < id) state.set(false)
    } else if (message.t === 'claim') {
      if (state.leader) send({ t: 'lead', id })
      else if (!rival || message.id < rival) rival = message.id
    } else if (message.t === 'resign') lastHeard = 0
  }

  const claim = () => {
    rival = undefined
    send({ t: 'claim', id })
    claiming = setTimeout(() => {
      claiming = undefined
      const heardLeader = Date.now() - lastHeard < heartbeatMs * 3
      if (!heardLeader && (rival === undefined || id < rival)) state.set(true)
    }, heartbeatMs)
  }
  const beat = setInterval(() => {
    if (state.leader) send({ t: 'lead', id })
    else if (!claiming && Date.now() - lastHeard > heartbeatMs * 3) claim()
  }, heartbeatMs)
  send({ t: 'who' })
  claim()

  return {
    get leader() {
      return state.leader
    },
    onChange: state.onChange,
    dispose() {
      clearInterval(beat)
      if (claiming) clearTimeout(claiming)
      if (state.leader) send({ t: 'resign', id })
      state.set(false)
      channel.close()
    },
  }
}
