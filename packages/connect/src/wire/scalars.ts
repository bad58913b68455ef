import { AtomaError } from '@atoma/runtime'

/**
 * The scalars of typed fields, carried exactly as JSON carries them. A number goes as a double,
 * which holds every JS number, except that `-0` goes as `0`: JSON writes it so, and the binary
 * encoding must not keep what the JSON one drops. A string goes as protobuf text, which is UTF-8:
 * a lone surrogate has no UTF-8 form and would silently arrive as U+FFFD, so it is refused
 * before anything is sent (JSON text, which escapes it, carries it in documents).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** `n` as the wire carries it: `-0` as `0`. */
export const wireNumber = (n: number): number => (n === 0 ? 0 : n)

/** `text` as the wire carries it, or `VALIDATION` naming `what` when UTF-8 cannot hold it. */
export function wireText(text: string, what: string, store?: string): string {
  if (typeof text === 'string' && LONE_SURROGATE.test(text))
    throw new AtomaError('VALIDATION', `${what} holds a lone surrogate, which protobuf text cannot carry`, {
      ...(store === undefined ? {} : { store }),
    })
  return text
}
