import type { JsonValue } from '@atoma/runtime'
import { type Inspectable, jsonValue, liveValue } from './inspect.js'

/** One step of a kernel route (`RouteStep`), read defensively: it comes from any runtime or a file. */
export interface RouteStepView {
  node: string
  source: string
  attempt: number
  outcome: string
  ms: number
  error?: string
  /** The HTTP node's trace of the call, when the adapter records one (bounded previews). */
  status?: number
  request?: Inspectable
  response?: Inspectable
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function routeSteps(route: unknown, source: 'live' | 'json'): RouteStepView[] {
  if (!Array.isArray(route)) return []
  const wrap = (value: unknown): Inspectable =>
    source === 'live' ? liveValue(value) : jsonValue((value ?? null) as JsonValue)
  const steps: RouteStepView[] = []
  for (const item of route.slice(0, 50)) {
    if (!isRecord(item) || typeof item.node !== 'string') continue
    const step: RouteStepView = {
      node: item.node,
      source: typeof item.source === 'string' ? item.source : '?',
      attempt: typeof item.attempt === 'number' ? item.attempt : 1,
      outcome: typeof item.outcome === 'string' ? item.outcome : '?',
      ms: typeof item.ms === 'number' ? item.ms : 0,
    }
    if (isRecord(item.error)) {
      const { code, message } = item.error
      step.error = [code, message].filter((part) => typeof part === 'string').join(': ')
    }
    const trace = item.trace
    if (isRecord(trace)) {
      if (typeof trace.status === 'number') step.status = trace.status
      if (Object.hasOwn(trace, 'request')) step.request = wrap(trace.request)
      if (Object.hasOwn(trace, 'response')) step.response = wrap(trace.response)
    }
    steps.push(step)
  }
  return steps
}
