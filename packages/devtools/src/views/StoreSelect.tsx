export interface StoreSelectProps {
  stores: readonly string[]
  /** null = all stores */
  value: string | null
  onChange(store: string | null): void
}

/** The store filter shared by the lists: "All stores" or one of them. */
export function StoreSelect({ stores, value, onChange }: StoreSelectProps) {
  return (
    <select
      className="atoma-input"
      aria-label="Store"
      value={value ?? ''}
      onChange={(e) => onChange(e.currentTarget.value === '' ? null : e.currentTarget.value)}
    >
      <option value="">All stores</option>
      {stores.map((store) => (
        <option key={store} value={store}>
          {store}
        </option>
      ))}
    </select>
  )
}
