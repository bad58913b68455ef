import { useEffect, useId, useState } from 'react'
import { CHAOS_OFF, type Chaos, chaosRequest } from '../data/chaos.js'

function summary({ latencyMs, failureRate }: Chaos): string {
  const parts = [
    latencyMs > 0 && `+${latencyMs} ms`,
    failureRate > 0 && `${Math.round(failureRate * 100)}% fail`,
  ]
  return parts.filter(Boolean).join(', ') || 'normal'
}

/**
 * Development only: drives the server's chaos option, to watch optimistic writes wait for a slow
 * server (the pending marker) and roll back when it refuses them (the notice).
 */
export function NetworkControl() {
  const [chaos, setChaos] = useState<Chaos>(CHAOS_OFF)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    // `failWrites` means nothing while nothing fails: show the more telling mode then.
    chaosRequest().then(
      (current) => setChaos(current.failureRate > 0 ? current : { ...current, failWrites: true }),
      (error: Error) => setProblem(error.message),
    )
  }, [])

  const apply = (next: Chaos) => {
    setChaos(next)
    chaosRequest(next).then(
      () => setProblem(null),
      (error: Error) => setProblem(error.message),
    )
  }

  return (
    <details className="network">
      <summary className="network-summary" data-degraded={summary(chaos) !== 'normal'}>
        Network: {summary(chaos)}
      </summary>
      <div className="network-panel">
        <Slider
          label="Added latency"
          value={chaos.latencyMs}
          max={3000}
          step={100}
          shown={`${chaos.latencyMs} ms`}
          onChange={(latencyMs) => apply({ ...chaos, latencyMs })}
        />
        <Slider
          label="Failure rate"
          value={chaos.failureRate}
          max={1}
          step={0.1}
          shown={`${Math.round(chaos.failureRate * 100)}%`}
          onChange={(failureRate) => apply({ ...chaos, failureRate })}
        />
        <label className="field">
          <span>Failures</span>
          <select
            className="select"
            value={chaos.failWrites ? 'writes' : 'requests'}
            onChange={(event) => apply({ ...chaos, failWrites: event.target.value === 'writes' })}
          >
            <option value="writes">reject writes (rolled back at once)</option>
            <option value="requests">fail whole requests (503, retried)</option>
          </select>
        </label>
        <button type="button" className="button" onClick={() => apply(CHAOS_OFF)}>
          Back to normal
        </button>
        {problem && <p className="network-problem">Chaos: {problem}</p>}
      </div>
    </details>
  )
}

interface SliderProps {
  label: string
  value: number
  max: number
  step: number
  /** The value as the user reads it. */
  shown: string
  onChange(value: number): void
}

function Slider({ label, value, max, step, shown, onChange }: SliderProps) {
  const id = useId()
  return (
    <div className="field">
      <span>
        <label htmlFor={id}>{label}</label>
        {shown}
      </span>
      <input
        id={id}
        type="range"
        min={0}
        max={max}
        step={step}
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
      />
    </div>
  )
}
