import { encodeFrame, type Frame } from '../frame/frame.js'
import { JournalError } from '../journal/journalError.js'
import { type Patch, patchProblem } from '../patch/patch.js'
import { decodePayload, encodePayload, UnsupportedValue } from '../value/codec.js'

/**
 * The record kinds: a closed set, and each code names one kind at one version of its payload.
 * A new payload shape gets a new code (`checkpoint@2` would be 0x12) and this table keeps
 * decoding the old one; a code outside the table fails with `JOURNAL_UNKNOWN_KIND` — it was
 * written by a newer version of this package, and nothing may be guessed or dropped.
 *
 * A generation's grammar: `header checkpoint (patch* commit)*`. Patches count only once the
 * commit after them is read, so a transaction is all or nothing; a commit names the commit (or
 * checkpoint) it follows by that frame's checksum, so commits form a chain and a commit written
 * on top of a different history (two writers racing where the medium has no lock) is detected.
 */
export const KINDS = {
  header: { code: 0x01, version: 1 },
  checkpoint: { code: 0x02, version: 1 },
  patch: { code: 0x03, version: 1 },
  commit: { code: 0x04, version: 1 },
} as const

/** A record kind's name: `header`, `checkpoint`, `patch` or `commit`. */
export type Kind = keyof typeof KINDS

const BY_CODE = new Map<number, Kind>(Object.entries(KINDS).map(([kind, { code }]) => [code, kind as Kind]))

/** `header`: which journal and generation this log is, and the version of the state it holds. */
export interface HeaderRecord {
  name: string
  generation: number
  version: number
}
/** `checkpoint`: the whole state as of commit `seq`. */
export interface CheckpointRecord {
  seq: number
  root: unknown
}
/** `patch`: changes of the transaction that the next `commit` closes. */
export interface PatchRecord {
  patches: Patch[]
}
/** `commit`: transaction `seq` is durable; `prev` is the checksum of the frame it follows, in
 * eight hex digits (a fixed width: every commit record of a journal has the same size). */
export interface CommitRecord {
  seq: number
  prev: string
}

export const hex32 = (n: number): string => n.toString(16).padStart(8, '0')

interface Records {
  header: HeaderRecord
  checkpoint: CheckpointRecord
  patch: PatchRecord
  commit: CommitRecord
}

const utf8 = new TextEncoder()
const text = new TextDecoder('utf-8', { fatal: true })

/** A framed record; a value it cannot store throws `JOURNAL_UNSUPPORTED_VALUE`. */
export function encodeRecord<K extends Kind>(kind: K, record: Records[K], journal: string): Uint8Array {
  let json: string
  try {
    json = encodePayload(record as unknown as Record<string, unknown>)
  } catch (error) {
    if (!(error instanceof UnsupportedValue)) throw error
    throw new JournalError(
      'JOURNAL_UNSUPPORTED_VALUE',
      `journal '${journal}': ${kind} record: ${error.message}`,
      {
        journal,
        cause: error,
      },
    )
  }
  return encodeFrame(KINDS[kind].code, utf8.encode(json))
}

export interface Where {
  journal: string
  generation: number
}

/** The kind of a frame whose checksum is good; a code outside the table fails fast. */
export function kindOf(frame: Frame, where: Where): Kind {
  const kind = BY_CODE.get(frame.kind)
  if (kind === undefined) {
    const code = `0x${frame.kind.toString(16).padStart(2, '0')}`
    throw new JournalError(
      'JOURNAL_UNKNOWN_KIND',
      `journal '${where.journal}' generation ${where.generation}: record at offset ${frame.offset} has kind ${code}, which this version cannot decode (known: ${[...BY_CODE.values()].join(', ')}); it was probably written by a newer @atoma/journal`,
      { ...where, offset: frame.offset, actual: code },
    )
  }
  return kind
}

/** A decoded record, tagged with its kind. */
export type Decoded<K extends Kind> = { [P in K]: Records[P] & { kind: P } }[K]

/** Decodes a frame that the log's grammar says must be one of `expected`. */
export function decodeRecord<K extends Kind>(frame: Frame, expected: readonly K[], where: Where): Decoded<K> {
  const kind = kindOf(frame, where)
  if (!(expected as readonly Kind[]).includes(kind)) {
    const wanted = expected.join(' or ')
    throw new JournalError(
      'JOURNAL_KIND_MISMATCH',
      `journal '${where.journal}' generation ${where.generation}: expected a ${wanted} record at offset ${frame.offset}, found a ${kind} record`,
      { ...where, offset: frame.offset, expected: wanted, actual: kind },
    )
  }
  const invalid = (reason: string, cause?: unknown): never => {
    throw new JournalError(
      'JOURNAL_INVALID_RECORD',
      `journal '${where.journal}' generation ${where.generation}: ${kind} record at offset ${frame.offset} ${reason}`,
      { ...where, offset: frame.offset, cause },
    )
  }
  let payload: Record<string, unknown>
  try {
    payload = decodePayload(text.decode(frame.payload))
  } catch (error) {
    return invalid(`does not decode: ${(error as Error).message}`, error)
  }
  const problem = CHECKS[kind](payload)
  if (problem !== undefined) invalid(problem)
  return { ...payload, kind } as unknown as Decoded<K>
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

const CHECKS: Record<Kind, (payload: Record<string, unknown>) => string | undefined> = {
  header: (p) =>
    typeof p.name !== 'string' || !isCount(p.generation) || !isCount(p.version)
      ? 'needs a name, a generation and a version'
      : undefined,
  checkpoint: (p) => (!isCount(p.seq) || !Object.hasOwn(p, 'root') ? 'needs a seq and a root' : undefined),
  patch: (p) => {
    if (!Array.isArray(p.patches)) return 'needs a list of patches'
    for (const patch of p.patches) {
      const problem = patchProblem(patch)
      if (problem !== undefined) return `holds a malformed patch: ${problem}`
    }
    return undefined
  },
  commit: (p) =>
    !isCount(p.seq) || typeof p.prev !== 'string' || !/^[0-9a-f]{8}$/.test(p.prev)
      ? 'needs a seq and a prev'
      : undefined,
}
