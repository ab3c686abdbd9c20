// Seeded randomness for the demo data: the same seed gives the same workspace, ids
// included, on every machine. Never Math.random here.

/** mulberry32: tiny, fast, good enough for fake data (not for secrets). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

// murmur3's finaliser: spreads nearby inputs (deal 41, deal 42) far apart.
function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

export type Rng = {
  next(): number
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  weighted<T>(items: readonly (readonly [T, number])[]): T
  /** Standard normal (Box–Muller). */
  normal(): number
  /** Exponential with the given mean. */
  exponential(mean: number): number
  /** A version-4-shaped UUID drawn from this stream. */
  uuid(): string
}

/** `idSalt` sets apart the uuids of streams that share a 32-bit seed (see streamRng). */
export function createRng(seed: number, idSalt = 0): Rng {
  const next = mulberry32(seed)
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items) => {
      let total = 0
      for (const [, w] of items) total += w
      let r = next() * total
      for (const [v, w] of items) {
        r -= w
        if (r < 0) return v
      }
      return items[items.length - 1][0]
    },
    normal: () => {
      const u = 1 - next() // (0, 1]: log(0) would be -Infinity
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    uuid: () => {
      let hex = ''
      for (let i = 0; i < 4; i++) hex += ((Math.floor(next() * 4294967296) ^ (i === 0 ? idSalt : 0)) >>> 0).toString(16).padStart(8, '0')
      const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
    },
  }
  return rng
}

/**
 * An independent stream per (seed, label, index): deal 812 is the same whatever was
 * generated before it, so a generator can run twice or in chunks and agree.
 *
 * @example const rng = streamRng(42, 'deal', 812); rng.uuid()
 */
export function streamRng(seed: number, label: string, index = 0): Rng {
  // Within a label the index → state map is a bijection, but two labels share states:
  // at 100 000 organisations and 1 000 000 deals about 20 pairs would draw the same
  // uuid (a deal with an organisation's id). The label's hash salts the uuids apart.
  const h = fnv1a(label)
  return createRng(fmix32(fmix32(seed ^ h) ^ Math.imul(index + 1, 0x9e3779b9)), h)
}

/**
 * The id of the nth entity of a kind, drawn first from its own stream. Several ids
 * drawn from one stream can collide with ids of another stream (32-bit generator
 * state: two streams may run over the same states, shifted), first draws cannot: the
 * start state is a bijection of n. Use it wherever one stream would make many ids.
 *
 * @example entityId(42, 'activity', dealIndex * 64 + k)
 */
export const entityId = (seed: number, label: string, n: number): string => streamRng(seed, `${label}:id`, n).uuid()
