import type { AtomaError } from '@atoma/runtime'

/** A load that failed, with a Retry (it is also retried by itself: data/loads.ts). */
export function LoadFailed({
  what,
  error,
  retry,
}: {
  what: string
  error: AtomaError | null
  retry(): void
}) {
  return (
    <div className="load-failed" role="alert">
      <span>
        Could not load {what}
        {error ? `: ${error.message}` : ''}
      </span>
      <button type="button" className="button small" onClick={() => void retry()}>
        Retry
      </button>
    </div>
  )
}
