import { useEffect, useId, useState } from 'react'
import { CHAOS_OFF, type Chaos, chaosRequest } from '../data/chaos.js'
import { network } from '../data/network.js'
import { sessions } from '../data/session.js'
import { switchTransport, TRANSPORTS, type Transport, transport } from '../data/transport.js'
import { useOffline } from '../hooks/useNetwork.js'

function summary({ latencyMs, failureRate }: Chaos, offline: boolean): string {
  if (offline) return 'offline'
  const parts = [
    latencyMs > 0 && `+${latencyMs} ms`,
    failureRate > 0 && `${Math.round(failureRate * 100)}% fail`,
  ]
  return parts.filter(Boolean).join(', ') || 'normal'
}

/**
 * Development only: an offline switch on the client (writes queue in the outbox; reload; they
 * flush when back) and the server's chaos option (latency, failures), to watch optimistic
 * writes wait and retry. Chaos failures are transient, so the outbox sends the writes again
 * until they pass; what rolls a write back is a refusal (a conflict, a permission).
 */
export function NetworkControl() {
  const offline = useOffline()
  const [chaos, setChaos] = useState<Chaos>(CHAOS_OFF)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    // `failWrites` means nothing while nothing fails: show the more telling mode then.
    chaosRequest(sessions.headers()).then(
      (current) => setChaos(current.failureRate > 0 ? current : { ...current, failWrites: true }),
      (error: Error) => setProblem(error.message),
    )
  }, [])

  const apply = (next: Chaos) => {
    setChaos(next)
    chaosRequest(sessions.headers(), next).then(
      () => setProblem(null),
      (error: Error) => setProblem(error.message),
    )
  }

  return (
    <details className="menu network">
      <summary className="menu-summary" data-degraded={summary(chaos, offline) !== 'normal'}>
        Network: {summary(chaos, offline)}
      </summary>
      <div className="menu-panel network-panel">
        <label className="switch">
          <input
            type="checkbox"
            checked={offline}
            onChange={(event) => network.setOffline(event.target.checked)}
          />
          <span>
            <strong>Offline</strong>
            <small>
              {transport === 'sync'
                ? 'This browser stops reaching the server: writes wait in the outbox, even across a reload.'
                : 'This browser stops reaching the server: over Connect there is no outbox, so writes are refused.'}
            </small>
          </span>
        </label>
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
            <option value="writes">
              {transport === 'sync' ? 'Fail each write (retried)' : 'Fail each write'}
            </option>
            <option value="requests">Fail whole requests (503)</option>
          </select>
        </label>
        <label className="field">
          <span>Transport</span>
          <select
            className="select"
            value={transport}
            onChange={(event) => switchTransport(event.target.value as Transport)}
          >
            {TRANSPORTS.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          onClick={() => {
            network.setOffline(false)
            apply(CHAOS_OFF)
          }}
        >
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
