import { readFrame } from '../frame/frame.js'
import { applyPatches, type Patch } from '../patch/patch.js'
import { decodeRecord, hex32, type Where } from '../record/records.js'
import { JournalError } from './journalError.js'

/** Where a log's commit chain stands: the last commit's number and its frame's checksum. */
export interface Chain {
  seq: number
  prev: number
}

export interface Commit {
  seq: number
  patches: Patch[]
  /** Offset of the commit record. */
  offset: number
}

/** The first unusable frame: bytes ran out, a checksum failed, or a commit does not follow its chain. */
export interface Damage {
  reason: 'torn' | 'checksum' | 'fork'
  offset: number
}

export interface Tail {
  commits: Commit[]
  /** Offset just past the last good commit. */
  end: number
  chain: Chain
  damage?: Damage
}

/** Reads `patch* commit` groups from `bytes`, which start at offset `base` of the generation. */
export function scanTail(bytes: Uint8Array, base: number, chain: Chain, where: Where): Tail {
  const commits: Commit[] = []
  let end = base
  let pending: Patch[] = []
  let open = false
  let offset = 0
  const stop = (damage: Damage): Tail => ({ commits, end, chain, damage })
  while (offset < bytes.length) {
    const frame = readFrame(bytes, offset, base)
    if ('damage' in frame) return stop({ reason: frame.damage, offset: frame.offset })
    const record = decodeRecord(frame, ['patch', 'commit'], where)
    if (record.kind === 'patch') {
      open = true
      for (const patch of record.patches) pending.push(patch)
    } else {
      if (record.seq !== chain.seq + 1 || record.prev !== hex32(chain.prev))
        return stop({ reason: 'fork', offset: frame.offset })
      commits.push({ seq: record.seq, patches: pending, offset: frame.offset })
      chain = { seq: record.seq, prev: frame.crc }
      end = frame.end
      pending = []
      open = false
    }
    offset = frame.end - base
  }
  // Whole patch records and no commit: the transaction's last write never finished.
  return open ? stop({ reason: 'torn', offset: end }) : { commits, end, chain }
}

/** A generation: its header, its checkpoint, and its tail as far as it is good. */
export interface Generation {
  generation: number
  version: number
  checkpointSeq: number
  /** Offset just past the checkpoint: the bytes of header and checkpoint. */
  checkpointEnd: number
  /** The checkpoint with every good commit applied. */
  root: unknown
  tail: Tail
  /** Bytes the generation holds (good or not). */
  size: number
}

/**
 * Materializes a whole generation, or says why it has no usable start (`damage`; a generation
 * whose header or checkpoint is torn is an unfinished compaction or creation).
 */
export function scanGeneration(bytes: Uint8Array, where: Where): Generation | { damage: Damage } {
  const first = readFrame(bytes, 0)
  if ('damage' in first) return { damage: { reason: first.damage, offset: 0 } }
  const header = decodeRecord(first, ['header'], where)
  if (header.name !== where.journal || header.generation !== where.generation) {
    throw new JournalError(
      'JOURNAL_INVALID_RECORD',
      `journal '${where.journal}' generation ${where.generation}: the header belongs to journal '${header.name}' generation ${header.generation}`,
      { ...where, offset: 0 },
    )
  }
  const second = readFrame(bytes, first.end)
  if ('damage' in second) return { damage: { reason: second.damage, offset: 0 } }
  const checkpoint = decodeRecord(second, ['checkpoint'], where)
  const tail = scanTail(
    bytes.subarray(second.end),
    second.end,
    { seq: checkpoint.seq, prev: second.crc },
    where,
  )
  let root = checkpoint.root
  for (const commit of tail.commits) {
    try {
      root = applyPatches(root, commit.patches)
    } catch (error) {
      throw new JournalError(
        'JOURNAL_INVALID_RECORD',
        `journal '${where.journal}' generation ${where.generation}: commit ${commit.seq} at offset ${commit.offset} does not apply: ${(error as Error).message}`,
        { ...where, offset: commit.offset, cause: error },
      )
    }
  }
  return {
    generation: where.generation,
    version: header.version,
    checkpointSeq: checkpoint.seq,
    checkpointEnd: second.end,
    root,
    tail,
    size: bytes.length,
  }
}
