import type { OutboxRecord, OutboxStorage } from './outboxRecord.js'

/** What a memory outbox holds; pass the same one to a new outbox to model a restart. */
export interface MemoryOutboxData {
  records: unknown[]
  quarantined: Array<{ raw: unknown; reason: string }>
  seq: number
}

/**
 * An outbox in memory: it survives nothing, and is the default outside browsers. Its data object
 * can outlive the outbox (tests give it to the next runtime to play a reload). Records are copied
 * in and out, as a real storage would.
 */
export function memoryOutbox(
  data: MemoryOutboxData = { records: [], quarantined: [], seq: 0 },
): OutboxStorage {
  return {
    shared: false,
    load: async () => structuredClone(data.records),
    async append(records) {
      const added = records.map((record): OutboxRecord => ({ ...structuredClone(record), seq: ++data.seq }))
      data.records.push(...structuredClone(added))
      return added
    },
    async update(record) {
      const index = data.records.findIndex((r) => (r as OutboxRecord).seq === record.seq)
      if (index >= 0) data.records[index] = structuredClone(record)
    },
    async remove(seqs) {
      const gone = new Set(seqs)
      data.records = data.records.filter((r) => !gone.has((r as OutboxRecord).seq))
    },
    async quarantine(raw, reason) {
      data.records = data.records.filter(
        (r) => r !== raw && (r as OutboxRecord | null)?.seq !== (raw as OutboxRecord | null)?.seq,
      )
      data.quarantined.push({ raw: structuredClone(raw), reason })
    },
    close() {},
  }
}
