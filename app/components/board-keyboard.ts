import { pointerWithin, rectIntersection, type CollisionDetection, type KeyboardCoordinateGetter, type UniqueIdentifier } from '@dnd-kit/core'

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

/**
 * Where a drop lands. A pointer drag lands in the column under the pointer, and only
 * there: the dragged card's rectangle never decides, since a card held by its handle
 * (top right) hangs mostly over the column to the left, and a rectangle overlap picked
 * that neighbour (a drop aimed at Perdu landed in Signé). In the gap between two columns
 * the nearer one takes it, within half a gap (COLUMN_GAP); further out, nowhere.
 * Keyboard drags have no pointer: the card is centred on a column, the overlap decides.
 */
export const collision: CollisionDetection = (args) => {
  const p = args.pointerCoordinates
  if (!p) return rectIntersection(args)
  const hits = pointerWithin(args)
  if (hits.length) return hits
  let best: { id: UniqueIdentifier; distance: number } | null = null
  for (const c of args.droppableContainers) {
    const r = args.droppableRects.get(c.id)
    if (!r || c.disabled) continue
    const dx = p.x < r.left ? r.left - p.x : p.x > r.right ? p.x - r.right : 0
    const dy = p.y < r.top ? r.top - p.y : p.y > r.bottom ? p.y - r.bottom : 0
    const distance = Math.hypot(dx, dy)
    if (distance <= COLUMN_GAP && (!best || distance < best.distance)) best = { id: c.id, distance }
  }
  return best ? [{ id: best.id, data: { droppableContainer: args.droppableContainers.find((c) => c.id === best.id), value: best.distance } }] : []
}

/** The boards' gap between columns (gap-3), in px: a pointer this close to a column still drops in it. */
export const COLUMN_GAP = 12
