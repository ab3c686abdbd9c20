/**
 * The rows a projector instance last wrote, per projection and stream, so the next
 * batch folds from memory instead of reading them back with FINAL. It mirrors
 * ClickHouse only while this instance is the single writer: the projector clears it
 * whenever it (re)takes the lead and after any failed batch. Bounded, least recently
 * written first out.
 *
 * @example const cache = new StateCache(20_000); cache.for('deals').set(dealId, row)
 */
export class StateCache {
  private readonly maps = new Map<string, Map<string, unknown>>()
  private readonly objects = new Map<string, unknown>()
  constructor(private readonly maxPerProjection = 20_000) {}

  /** One projection's (or rollup's) entries; `max` overrides the default bound for it. */
  for<R>(projection: string, max = this.maxPerProjection) {
    let m = this.maps.get(projection)
    if (!m) this.maps.set(projection, (m = new Map()))
    const map = m as Map<string, R>
    return {
      get: (id: string) => map.get(id),
      set(id: string, row: R) {
        map.delete(id)
        map.set(id, row)
        // Map iterates in insertion order: the first key is the least recently written.
        while (map.size > max) map.delete(map.keys().next().value!)
      },
    }
  }

  /** A structure of a projection's own (e.g. rollup cells), created on first use and dropped by clear() like the rest. */
  shared<T>(name: string, create: () => T): T {
    let o = this.objects.get(name) as T | undefined
    if (o === undefined) this.objects.set(name, (o = create()))
    return o
  }

  clear() {
    this.maps.clear()
    this.objects.clear()
  }
}
