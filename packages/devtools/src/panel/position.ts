/** Which edge of the window the panel docks to. */
export type DevtoolsPosition = 'bottom' | 'right' | 'left'

export const MIN_SIZE = 160

/** Default and largest size for a position, in CSS pixels, for a window of `viewport` size. */
export function sizeLimits(position: DevtoolsPosition, viewport: { width: number; height: number }) {
  const extent = position === 'bottom' ? viewport.height : viewport.width
  const max = Math.max(MIN_SIZE, Math.round(extent * 0.9))
  const preferred = position === 'bottom' ? Math.round(extent * 0.4) : Math.round(extent * 0.45)
  return { max, initial: Math.min(max, Math.max(MIN_SIZE, preferred)) }
}
