import type { DemoSeedOptions } from './runtime.js'

/**
 * The demo data of `npm start`, from the environment: ALFORIS_SEED=off loads none;
 * ALFORIS_SEED_DEALS and ALFORIS_SEED_ORGANISATIONS size it (a small instance, the
 * crash and shutdown tests). A bad value is refused in French rather than ignored.
 *
 * @example demoSeedFromEnv({ ALFORIS_SEED_DEALS: '40', ALFORIS_SEED_ORGANISATIONS: '10' }) // { deals: 40, organisations: 10 }
 */
export function demoSeedFromEnv(env: NodeJS.ProcessEnv = process.env): false | DemoSeedOptions {
  if (env.ALFORIS_SEED === 'off') return false
  const size: DemoSeedOptions = {}
  for (const [name, key] of [
    ['ALFORIS_SEED_DEALS', 'deals'],
    ['ALFORIS_SEED_ORGANISATIONS', 'organisations'],
  ] as const) {
    const v = env[name]
    if (v === undefined || v === '') continue
    const n = Number(v)
    if (!Number.isSafeInteger(n) || n < (key === 'organisations' ? 1 : 0)) throw new Error(`${name} attend un nombre entier positif (reçu : ${v})`)
    size[key] = n
  }
  return size
}
