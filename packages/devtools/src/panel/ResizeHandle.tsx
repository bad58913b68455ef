import type { KeyboardEvent, PointerEvent } from 'react'
import type { DevtoolsPosition } from './position.js'

export interface ResizeHandleProps {
  position: DevtoolsPosition
  size: number
  min: number
  max: number
  onResize(size: number): void
}

const STEP = 24

/**
 * Drag (pointer) or arrow keys (a focusable ARIA separator) resize the docked panel. Dragging
 * the edge away from the side it is docked to makes it bigger.
 */
export function ResizeHandle({ position, size, min, max, onResize }: ResizeHandleProps) {
  const clamp = (value: number) => Math.round(Math.min(max, Math.max(min, value)))
  const grow = position === 'bottom' ? ['ArrowUp'] : position === 'right' ? ['ArrowLeft'] : ['ArrowRight']
  const shrink = position === 'bottom' ? ['ArrowDown'] : position === 'right' ? ['ArrowRight'] : ['ArrowLeft']

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault()
    const handle = event.currentTarget
    const start = position === 'bottom' ? event.clientY : event.clientX
    const initial = size
    handle.setPointerCapture?.(event.pointerId)
    const move = (moveEvent: globalThis.PointerEvent) => {
      const now = position === 'bottom' ? moveEvent.clientY : moveEvent.clientX
      const delta = position === 'left' ? now - start : start - now
      onResize(clamp(initial + delta))
    }
    const up = () => {
      handle.removeEventListener('pointermove', move)
      handle.removeEventListener('pointerup', up)
      handle.removeEventListener('pointercancel', up)
    }
    handle.addEventListener('pointermove', move)
    handle.addEventListener('pointerup', up)
    handle.addEventListener('pointercancel', up)
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (grow.includes(event.key)) onResize(clamp(size + STEP))
    else if (shrink.includes(event.key)) onResize(clamp(size - STEP))
    else if (event.key === 'Home') onResize(min)
    else if (event.key === 'End') onResize(max)
    else return
    event.preventDefault()
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable separator (splitter) has no native element
    <div
      role="separator"
      tabIndex={0}
      aria-label="Resize the devtools panel"
      aria-orientation={position === 'bottom' ? 'horizontal' : 'vertical'}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      className="atoma-resize"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  )
}
