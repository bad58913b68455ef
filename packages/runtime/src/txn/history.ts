import type { TxnRecord } from './types.js'

/**
 * The last `capacity` transactions of one store, oldest first, with O(1) lookup by txnId.
 * A fixed ring: pushing past capacity overwrites the oldest slot and forgets its id.
 */
export class History {
  private readonly ring: (TxnRecord | undefined)[]
  private readonly byId = new Map<number, TxnRecord>()
  private next = 0

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity)
  }

  push(record: TxnRecord): void {
    if (this.capacity === 0) return
    const evicted = this.ring[this.next]
    if (evicted) this.byId.delete(evicted.txnId)
    this.ring[this.next] = record
    this.byId.set(record.txnId, record)
    this.next = (this.next + 1) % this.capacity
  }

  get(txnId: number): TxnRecord | undefined {
    return this.byId.get(txnId)
  }

  get size(): number {
    return this.byId.size
  }

  toArray(): TxnRecord[] {
    const out: TxnRecord[] = []
    for (let i = 0; i < this.capacity; i++) {
      const record = this.ring[(this.next + i) % this.capacity]
      if (record) out.push(record)
    }
    return out
  }
}
