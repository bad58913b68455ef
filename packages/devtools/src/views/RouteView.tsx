import { TreeView } from '../components/TreeView.js'
import { formatMs } from '../model/describeEvent.js'
import type { RouteStepView } from '../model/route.js'

/**
 * The nodes a backend call went through (the kernel's route): outcome and time of each attempt,
 * and where the HTTP node traced it, the HTTP status, the request and the response (bounded).
 */
export function RouteView({ steps }: { steps: readonly RouteStepView[] }) {
  if (steps.length === 0)
    return (
      <p className="atoma-muted">
        No route recorded (a local call, or a runtime that does not report routes).
      </p>
    )
  return (
    <ol className="atoma-route" aria-label="Route">
      {steps.map((step, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the steps of one route never reorder
        <li key={index}>
          <div>
            <span className="atoma-mono">{step.node}</span>{' '}
            <span className="atoma-muted">
              ({step.source}, attempt {step.attempt})
            </span>{' '}
            <span className="atoma-badge" data-kind={step.outcome === 'ok' ? 'ok' : 'error'}>
              {step.outcome}
            </span>{' '}
            {step.status !== undefined && (
              <span className="atoma-badge" data-kind={step.status < 400 ? 'ok' : 'error'}>
                HTTP {step.status}
              </span>
            )}{' '}
            <span className="atoma-muted">{formatMs(step.ms)}</span>
          </div>
          {step.error && <div className="atoma-invalid">{step.error}</div>}
          {(['request', 'response'] as const).map((part) => {
            const root = step[part]
            return (
              root && (
                <div key={part} className="atoma-tree-box atoma-tree-small">
                  <TreeView
                    label={`${part === 'request' ? 'Request to' : 'Response from'} ${step.node}`}
                    rootLabel={part}
                    root={root}
                    openRoot={false}
                    fallbackHeight={80}
                  />
                </div>
              )
            )
          })}
        </li>
      ))}
    </ol>
  )
}
