import type { EntryResult } from '@atoma/runtime'
import type { PullChange } from '@atoma/runtime/protocol'
import type { OutboxRecord } from '../outbox/outboxRecord.js'

/**
 * What the tabs sharing an outbox tell each other. Any tab appends (its own writes) and says so;
 * the leader pushes, pulls and says what came of it, so every tab shows the same state and no two
 * push the same entry.
 */
export type TabMessage =
  | { t: 'appended'; records: OutboxRecord[] }
  | { t: 'settled'; entryId: string; result: EntryResult }
  | { t: 'pulled'; changes: PullChange[]; cursor: string; through?: Record<string, number>; at: number }
  | {
      t: 'status'
      online: boolean
      connected: boolean
      pushing: boolean
      error?: { code: string; message: string }
    }
  /** A follower asks the leader to push and pull now (its `flush()`/`pull()`, or it came online). */
  | { t: 'kick' }

export interface TabChannel {
  post(message: TabMessage): void
  close(): void
}

/** Tabs of one origin with one outbox `name`; messages from this tab are not delivered back to it. */
export function tabChannel(name: string, receive: (message: TabMessage) => void): TabChannel {
  const channel = new BroadcastChannel(`atoma-sync:${name}`)
  channel.onmessage = (event: MessageEvent<TabMessage>) => receive(event.data)
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  }
}
