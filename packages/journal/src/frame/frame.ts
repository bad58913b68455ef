import { crc32c } from './crc32c.js'

/**
 * A frame, LevelDB-log style, little-endian, with a fixed 9-byte header:
 *
 * | offset | size | field                                                        |
 * |-------:|-----:|--------------------------------------------------------------|
 * | 0      | 4    | CRC-32C of bytes 4 .. end (length, kind and payload)         |
 * | 4      | 4    | payload length in bytes                                       |
 * | 8      | 1    | record kind                                                   |
 * | 9      | n    | payload                                                       |
 *
 * The checksum covers the length, so a flipped length bit cannot make the reader take a wrong
 * slice for a good record; it comes first, so an all-zero region (a file extended but not written)
 * never passes: the CRC-32C of zero bytes is not zero.
 */
export const FRAME_HEADER = 9

export interface Frame {
  offset: number
  /** Offset just past the frame. */
  end: number
  kind: number
  payload: Uint8Array
  crc: number
}

/** Why reading stopped before the end: the bytes ran out mid-frame, or the checksum is wrong. */
export type FrameDamage = { damage: 'torn' | 'checksum'; offset: number }

export function encodeFrame(kind: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(FRAME_HEADER + payload.length)
  const view = new DataView(bytes.buffer)
  view.setUint32(4, payload.length, true)
  bytes[8] = kind
  bytes.set(payload, FRAME_HEADER)
  view.setUint32(0, crc32c(bytes, 4), true)
  return bytes
}

/** The frame at `offset` of `bytes` (`base` is where `bytes` starts in its generation). */
export function readFrame(bytes: Uint8Array, offset: number, base = 0): Frame | FrameDamage {
  const at = base + offset
  if (bytes.length - offset < FRAME_HEADER) return { damage: 'torn', offset: at }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset)
  const length = view.getUint32(4, true)
  const end = offset + FRAME_HEADER + length
  if (end > bytes.length) return { damage: 'torn', offset: at }
  const crc = view.getUint32(0, true)
  if (crc32c(bytes, offset + 4, end) !== crc) return { damage: 'checksum', offset: at }
  return {
    offset: at,
    end: base + end,
    kind: bytes[offset + 8]!,
    payload: bytes.subarray(offset + FRAME_HEADER, end),
    crc,
  }
}

export function frameCrc(frame: Uint8Array): number {
  return new DataView(frame.buffer, frame.byteOffset).getUint32(0, true)
}
