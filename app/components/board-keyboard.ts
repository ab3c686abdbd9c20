import { pointerWithin, rectIntersection, type CollisionDetection, type KeyboardCoordinateGetter } from '@dnd-kit/core'

// Keyboard and collision rules shared by the column boards (pipeline, tasks).

/**
 * Keyboard moves go column to column: ←/→ put the dragged card over the previous/next
 * column (the default sensor would nudge it 25 px at a time); ↑/↓ do nothing.
 * `columnKey` names the field of the card's drag data that holds its column.
 */
export function columnKeyboardCoordinates(order: string[], columnKey: string): KeyboardCoordinateGetter {
  return (event, { context: { active, collisionRect, droppableRects, over } }) => {
    if (event.code === 'ArrowUp' || event.code === 'ArrowDown') {
      event.preventDefault()
      return undefined
    }
    if (event.code !== 'ArrowRight' && event.code !== 'ArrowLeft') return undefined
    event.preventDefault()
    if (!active || !collisionRect) return undefined
    const from = String(over?.id ?? (active.data.current as Record<string, unknown> | undefined)?.[columnKey] ?? '')
    const i = order.indexOf(from)
    const next = order[Math.min(order.length - 1, Math.max(0, i + (event.code === 'ArrowRight' ? 1 : -1)))]
    const rect = next ? droppableRects.get(next) : undefined
    if (!rect) return undefined
    return {
      x: rect.left + (rect.width - collisionRect.width) / 2,
      y: Math.max(rect.top, Math.min(collisionRect.top, rect.top + rect.height - collisionRect.height)),
    }
  }
}

// The pointer decides when there is one; keyboard drags have none: the overlap does.
export const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args)
  return hits.length ? hits : rectIntersection(args)
}
