import { type ReactNode, useId } from 'react'
import { nextIndex } from './listKeys.js'
import { VirtualList } from './VirtualList.js'

export interface ListBoxProps {
  /** The accessible name. */
  label: string
  count: number
  /** Selected row, or -1. */
  selected: number
  onSelect(index: number): void
  renderOption(index: number): ReactNode
  rowHeight?: number
  empty?: ReactNode
  /** Follow new options at the end while scrolled there (see VirtualList). */
  stickToEnd?: boolean
  /** A `data-tone` for an option's row (`error`, `aborted`), so failures look like failures. */
  toneOf?(index: number): string | undefined
}

/**
 * A single-select listbox over a windowed list: one tab stop, arrows/Home/End/Page keys move the
 * selection, the selected option is announced through `aria-activedescendant`, and since only
 * some options exist in the DOM each one states its position (`aria-posinset` of `aria-setsize`).
 */
export function ListBox({
  label,
  count,
  selected,
  onSelect,
  renderOption,
  rowHeight = 22,
  empty,
  stickToEnd,
  toneOf,
}: ListBoxProps) {
  const id = useId()
  const optionId = (index: number) => `${id}-${index}`
  if (count === 0) return <div className="atoma-empty">{empty ?? 'Nothing to show.'}</div>
  return (
    <VirtualList
      className="atoma-listbox"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={selected >= 0 && selected < count ? optionId(selected) : undefined}
      count={count}
      rowHeight={rowHeight}
      activeIndex={selected}
      stickToEnd={stickToEnd}
      onKeyDown={(event) => {
        const next = nextIndex(event, selected, count)
        if (next === null) return
        event.preventDefault()
        onSelect(next)
      }}
      renderRow={(index, style) => (
        // biome-ignore lint/a11y/useFocusableInteractive: the listbox keeps focus and points at its option (aria-activedescendant)
        // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keys for its options
        <div
          key={index}
          id={optionId(index)}
          role="option"
          aria-selected={index === selected}
          aria-posinset={index + 1}
          aria-setsize={count}
          className="atoma-row"
          data-tone={toneOf?.(index)}
          style={style}
          onClick={() => onSelect(index)}
        >
          {renderOption(index)}
        </div>
      )}
    />
  )
}
