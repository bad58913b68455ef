import type { DevtoolsInstanceInfo, RuntimeDebugEvent } from '@atoma/runtime'

export interface InstanceStore {
  label: string
  store: string
}

/** The runtime (when there are several) and the store a view is about. */
export function InstanceStorePicker({
  instances,
  value,
  onChange,
}: {
  instances: readonly DevtoolsInstanceInfo[]
  value: InstanceStore
  onChange(next: InstanceStore): void
}) {
  const instance = instances.find((info) => info.label === value.label)
  return (
    <>
      {instances.length > 1 && (
        <select
          className="atoma-input"
          aria-label="Runtime"
          value={value.label}
          onChange={(e) => {
            const label = e.currentTarget.value
            const next = instances.find((info) => info.label === label)
            onChange({ label, store: next?.stores[0] ?? '' })
          }}
        >
          {instances.map((info) => (
            <option key={info.label} value={info.label}>
              {info.label}
            </option>
          ))}
        </select>
      )}
      <select
        className="atoma-input"
        aria-label="Store"
        value={value.store}
        onChange={(e) => onChange({ label: value.label, store: e.currentTarget.value })}
      >
        {(instance?.stores ?? []).map((store) => (
          <option key={store} value={store}>
            {store}
          </option>
        ))}
      </select>
    </>
  )
}

/** Events looked at, newest first, to find the runtime the page is rendering. */
const RECENT = 2_000

/**
 * The runtime of the current page: the one whose components rendered last (`react-render`
 * events), else the one registered last. With two runtimes on a page (a board and an offline
 * board), that is the one on screen, not the first one registered.
 */
export function currentLabel(
  instances: readonly DevtoolsInstanceInfo[],
  events: readonly RuntimeDebugEvent[],
): string | undefined {
  const labels = new Set(instances.map((info) => info.label))
  for (let index = events.length - 1; index >= Math.max(0, events.length - RECENT); index--) {
    const event = events[index] as RuntimeDebugEvent
    if (event.kind === 'react-render' && labels.has(event.runtimeLabel)) return event.runtimeLabel
  }
  let newest: DevtoolsInstanceInfo | undefined
  for (const info of instances) if (!newest || info.registeredAt >= newest.registeredAt) newest = info
  return newest?.label
}

/** The picked instance/store if it still exists, else the first store of the current page's runtime. */
export function resolvePick(
  data: { instances: readonly DevtoolsInstanceInfo[]; events: readonly RuntimeDebugEvent[] },
  wanted: InstanceStore | null,
): InstanceStore | null {
  const { instances } = data
  const instance =
    instances.find((info) => info.label === wanted?.label) ??
    instances.find((info) => info.label === currentLabel(instances, data.events)) ??
    instances[0]
  if (!instance) return null
  const store = wanted && instance.stores.includes(wanted.store) ? wanted.store : instance.stores[0]
  return store === undefined ? null : { label: instance.label, store }
}
