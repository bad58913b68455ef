/** What a thrown value says, for diagnostics and devtools (an Error's message, or the value). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
