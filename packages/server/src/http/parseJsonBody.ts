import { HttpError } from '../errors.js'

/** Deeper than any envelope needs; bounds every recursive walk over the parsed body. */
export const MAX_JSON_DEPTH = 64

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a request body as JSON, refusing what could hurt later: invalid UTF-8, nesting deeper
 * than MAX_JSON_DEPTH (measured before parsing, so no recursion ever sees it) and any
 * `__proto__` key. JSON.parse itself never pollutes a prototype, but a key named `__proto__`
 * would do so the moment some code copies the object with assignment; such a key has no
 * legitimate use in an envelope or an item, so it is refused outright.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string
  try {
    text = decoder.decode(body)
  } catch {
    throw new HttpError(400, 'VALIDATION', 'the request body is not valid UTF-8')
  }
  return parseJsonText(text, 'the request body')
}

/** The same rules for JSON text that arrives inside another message (Connect's); `what` names it in errors. */
export function parseJsonText(text: string, what: string): unknown {
  if (exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw new HttpError(400, 'VALIDATION', `${what} is nested deeper than ${MAX_JSON_DEPTH} levels`)
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new ForbiddenKey()
      return value
    })
  } catch (error) {
    if (error instanceof ForbiddenKey) {
      throw new HttpError(400, 'VALIDATION', `${what} contains the forbidden key "__proto__"`)
    }
    const reason = error instanceof Error ? error.message : String(error)
    throw new HttpError(400, 'VALIDATION', `${what} is not valid JSON: ${reason.slice(0, 200)}`)
  }
}

class ForbiddenKey extends Error {}

function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (inString) {
      if (char === 0x5c) index++
      else if (char === 0x22) inString = false
    } else if (char === 0x22) {
      inString = true
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true
    } else if (char === 0x5d || char === 0x7d) {
      depth--
    }
  }
  return false
}
