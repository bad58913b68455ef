import type { IncomingMessage } from 'node:http'
import { HttpError } from '../errors.js'

/**
 * A body over the limit is still read to its end (and thrown away) before the 413 goes out:
 * answering while the client is still sending makes many clients see a reset instead of the
 * answer. Past this much more than the limit, the connection is dropped.
 */
const DRAIN_BYTES = 16 * 1024 * 1024

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = new HttpError(413, 'VALIDATION', `the request body exceeds ${maxBytes} bytes`, {
    headers: { connection: 'close' },
  })
  const declared = Number(req.headers['content-length'])
  if (declared > maxBytes + DRAIN_BYTES) {
    req.destroy()
    throw tooLarge
  }
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of req) {
      if (!Buffer.isBuffer(chunk)) throw new Error('request stream yielded a non-Buffer chunk')
      size += chunk.length
      // Leaving the loop destroys the request, and with it the connection.
      if (size > maxBytes + DRAIN_BYTES) break
      if (size <= maxBytes) chunks.push(chunk)
    }
  } catch {
    // The client went away mid-body; there is nobody left to answer.
    throw new HttpError(400, 'TRANSPORT', 'the request body was not received completely', { retryable: true })
  }
  if (size > maxBytes) throw tooLarge
  return Buffer.concat(chunks)
}
