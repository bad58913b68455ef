export interface SearchBoxProps {
  /** The accessible name. */
  label: string
  placeholder: string
  value: string
  onChange(value: string): void
}

/** A search field; Escape clears it first, so the next Escape closes the panel. */
export function SearchBox({ label, placeholder, value, onChange }: SearchBoxProps) {
  return (
    <input
      type="search"
      className="atoma-input"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && value !== '') {
          event.preventDefault()
          onChange('')
        }
      }}
    />
  )
}
