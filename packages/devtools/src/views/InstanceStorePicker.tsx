import type { DevtoolsInstanceInfo } from '@atoma/runtime'

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

/** The picked instance/store if it still exists, else the first store of the first instance. */
export function resolvePick(
  instances: readonly DevtoolsInstanceInfo[],
  wanted: InstanceStore | null,
): InstanceStore | null {
  const instance = instances.find((info) => info.label === wanted?.label) ?? instances[0]
  if (!instance) return null
  const store = wanted && instance.stores.includes(wanted.store) ? wanted.store : instance.stores[0]
  return store === undefined ? null : { label: instance.label, store }
}
