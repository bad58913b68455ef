import { AtomaError } from '@atoma/runtime'

/**
 * The app's documents (items, entry and patch values, queries, a conflict's current item) cross
 * the wire as JSON text, produced and read exactly as the HTTP adapter does: so every value means
 * the same over HTTP, Connect JSON and Connect binary, and what arrives is checked by the same
 * rules (`JSON.parse` keeps a `"__proto__"` key as an own key, which the checks then refuse).
 */

/** `value` as JSON text; `undefined` when JSON has none (undefined, a function), as a JSON body leaves such a field out. */
export function toJsonText(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined
  try {
    return JSON.stringify(value)
  } catch (error) {
    // A BigInt or a cycle: JSON cannot carry it, so neither can this adapter.
    throw new AtomaError('VALIDATION', `${what} cannot be sent as JSON: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/** Reads JSON text, throwing an Error that says what is wrong with it. */
export type ParseJson = (text: string) => unknown

/**
 * The value `text` holds, or why it holds none. `parse` (default `JSON.parse`) is a server's own
 * reader when it has stricter rules for what arrives (a depth, forbidden keys): its error's
 * message is the problem.
 */
export function fromJsonText(
  text: string,
  parse: ParseJson = JSON.parse,
): { value: unknown } | { problem: string } {
  try {
    return { value: parse(text) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { problem: error instanceof SyntaxError ? `it is not JSON (${message})` : message }
  }
}
