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
  className,
  ...rest
}: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
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
    const previous = element.scrollTop
    const top = activeIndex * rowHeight
    if (top < previous) element.scrollTop = top
    else if (top + rowHeight > previous + height) element.scrollTop = top + rowHeight - height
    if (element.scrollTop !== previous) setScrollTop(element.scrollTop)
  }, [activeIndex, rowHeight, height])

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan)
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
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      {...rest}
    >
      <div role="presentation" style={{ position: 'relative', height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  )
}
