/** A one-line description of anything thrown, for logs and debug events. Never throws itself. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  try {
    return String(error)
  } catch {
    // e.g. an object without a prototype, whose conversion to string throws
    return Object.prototype.toString.call(error)
  }
}
