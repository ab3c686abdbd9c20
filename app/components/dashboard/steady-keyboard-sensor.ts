import { KeyboardSensor, type KeyboardSensorProps } from '@dnd-kit/core'

/**
 * dnd-kit's KeyboardSensor, without losing the keys pressed just after the pick-up.
 *
 * The stock sensor starts listening for arrows, Space and Escape one timer tick after
 * Space picked the widget up (so that same keydown is not read as the drop). The pick-up
 * re-renders the grid — a long task on a dashboard full of charts — and Chromium runs
 * queued input before timers: an arrow or Space pressed during that render reached the
 * page before the sensor listened and was lost. The drag then looked dead (the widget
 * stayed picked up, nothing moved or saved). This sensor listens at once, skips the
 * pick-up event itself, and holds any key that comes before the drag is measured, or
 * before the previous move has been applied, replaying the keys in order on the next
 * frames. Each key is thus applied to an up-to-date position, however fast it comes.
 */
export class SteadyKeyboardSensor extends KeyboardSensor {}

// The stock sensor's members this one relies on (private in its typings; dnd-kit 6.3).
type Internals = {
  props: KeyboardSensorProps
  listeners: { add(name: string, handler: (e: Event) => void): void }
  windowListeners: { add(name: string, handler: (e: Event) => void): void }
  handleStart(): void
  handleKeyDown(e: Event): void
  handleCancel(e: Event): void
}

// A key is held at most this long for the drag to settle, then applied as it stands.
const MAX_HOLD_MS = 400

function attach(this: Internals) {
  this.handleStart()
  this.windowListeners.add('resize', this.handleCancel)
  this.windowListeners.add('visibilitychange', this.handleCancel)

  const pickUp = this.props.event
  const context = this.props.context
  const held: Event[] = []
  let frame = 0
  let since = performance.now()
  let started = false
  // The dragged widget's rectangle when the last key was applied: a move is applied once
  // the context shows a new one and the widget under it.
  let rectAtLastKey: unknown = null

  const settled = () => {
    const c = context.current
    if (!c.active || !c.collisionRect || c.droppableRects.size === 0 || !c.over) return false
    if (c.collisionRect === rectAtLastKey) return false
    return c.over.id === c.collisions?.[0]?.id
  }
  const apply = (e: Event) => {
    if ((e as KeyboardEvent).code?.startsWith('Arrow')) rectAtLastKey = context.current.collisionRect
    since = performance.now()
    this.handleKeyDown(e)
  }
  const drain = () => {
    frame = 0
    if (context.current.active) started = true
    else if (started) return void (held.length = 0) // the drag ended meanwhile
    while (held.length) {
      if (!settled() && performance.now() - since < MAX_HOLD_MS) {
        frame = requestAnimationFrame(drain)
        return
      }
      if (!context.current.active) return void (held.length = 0)
      apply(held.shift()!)
    }
  }

  this.listeners.add('keydown', (e) => {
    if (e === pickUp) return
    if (held.length === 0 && settled()) return apply(e)
    // Held: nothing else on the page may act on it (scrolling, clicking the handle).
    e.preventDefault()
    held.push(e)
    if (!frame) frame = requestAnimationFrame(drain)
  })
}

Object.defineProperty(SteadyKeyboardSensor.prototype, 'attach', { value: attach })
