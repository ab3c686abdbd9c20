// The checkpoints live with the one event consumer (db/event-consumer.ts); re-exported
// here for the projections' own callers (lag, rebuild, tests).
export { readCheckpoints, resetCheckpoints, saveCheckpoints } from '../db/event-consumer.js'
