import {
  type CSSProperties,
  type HTMLAttributes,
  type ReactNode,
  useLayoutEffect,
  useRef,
  useState,
} from 'react'

export interface VirtualListProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onScroll'> {
  count: number
  /** Every row has this height, so the visible range is arithmetic, not measured. */
  rowHeight: number
  renderRow(index: number, style: CSSProperties): ReactNode
  /** Keeps this row scrolled into view whenever it changes (keyboard navigation). */
  activeIndex?: number
  /** Used when the viewport cannot be measured (no layout engine, as in jsdom). */
  fallbackHeight?: number
  /** Rows rendered beyond each edge, so fast scrolling shows no blank gap. */
  overscan?: number
  /** Follow new rows at the end while scrolled to the end (a log); scrolling up stops following. */
  stickToEnd?: boolean
}

/**
 * A windowed list: only the rows in (or near) the viewport are in the DOM, whatever `count` is,
 * so 500 events or 100,000 entities cost the same few dozen elements.
 */
export function VirtualList({
  count,
  rowHeight,
  renderRow,
  activeIndex,
  fallbackHeight = 320,
  overscan = 8,
  stickToEnd = false,
  className,
  ...rest
}: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  // Whether the view follows the end: true at first, so a log opens on its newest row.
  const [atEnd, setAtEnd] = useState(true)
  const countRef = useRef(count)
  countRef.current = count
  // Measured once laid out; null where there is no layout (and setting state that does not change
  // would still cost React a render).
  const [measured, setMeasured] = useState<number | null>(null)
  const height = measured ?? fallbackHeight

  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = () => {
      if (element.clientHeight > 0) setMeasured(element.clientHeight)
    }
    measure()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  useLayoutEffect(() => {
    const element = ref.current
    if (!element || activeIndex === undefined || activeIndex < 0) return
    // Selecting a row above the newest one is looking back: stop following the end.
    setAtEnd(activeIndex >= countRef.current - 1)
    const previous = element.scrollTop
    const top = activeIndex * rowHeight
    if (top < previous) element.scrollTop = top
    else if (top + rowHeight > previous + height) element.scrollTop = top + rowHeight - height
    if (element.scrollTop !== previous) setScrollTop(element.scrollTop)
  }, [activeIndex, rowHeight, height])

  // Following the end: the window is computed from the end in this render (no second render for
  // it), and the element is scrolled there before paint.
  const following = stickToEnd && atEnd
  const top = following ? Math.max(0, count * rowHeight - height) : scrollTop
  useLayoutEffect(() => {
    const element = ref.current
    if (!following || !element) return
    const end = Math.max(0, count * rowHeight - element.clientHeight)
    if (element.scrollTop < end) element.scrollTop = end
  }, [following, count, rowHeight])

  const first = Math.max(0, Math.floor(top / rowHeight) - overscan)
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan)
  const rows: ReactNode[] = []
  for (let index = first; index < last; index++)
    rows.push(
      renderRow(index, {
        position: 'absolute',
        top: index * rowHeight,
        left: 0,
        right: 0,
        height: rowHeight,
      }),
    )

  return (
    <div
      ref={ref}
      className={className ? `atoma-vlist ${className}` : 'atoma-vlist'}
      onScroll={(event) => {
        const element = event.currentTarget
        setAtEnd(element.scrollTop + element.clientHeight >= element.scrollHeight - rowHeight / 2)
        setScrollTop(element.scrollTop)
      }}
      {...rest}
    >
      <div role="presentation" style={{ position: 'relative', height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  )
}
