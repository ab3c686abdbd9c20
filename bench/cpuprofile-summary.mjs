// node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top 30] [--from µs --to µs]
// Self time by function (and by file) from a V8 .cpuprofile (node --cpu-prof), over the
// whole profile or a window (timestamps on the monotonic clock, as the benches log it).
import fs from 'node:fs'
import { parseArgs } from 'node:util'

const {
  values: opts,
  positionals: [file],
} = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, from: { type: 'string' }, to: { type: 'string' } } })
const prof = JSON.parse(fs.readFileSync(file, 'utf8'))
const top = Number(opts.top)
const from = opts.from ? Number(opts.from) : -Infinity
const to = opts.to ? Number(opts.to) : Infinity
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const self = new Map()
// timeDeltas[i] is the time before samples[i].
let ts = prof.startTime
for (let i = 0; i < prof.samples.length; i++) {
  const dt = prof.timeDeltas[i] ?? 0
  ts += dt
  if (ts < from || ts > to) continue
  const n = byId.get(prof.samples[i])
  self.set(n, (self.get(n) ?? 0) + dt)
}
const total = [...self.values()].reduce((a, b) => a + b, 0)
const fnKey = (n) => {
  const f = n.callFrame
  const url = f.url
    .replace(/^file:\/\//, '')
    .replace(/.*\/(node_modules\/)/, '$1')
    .replace(/.*\/wt\/[^/]+\//, '')
  return `${f.functionName || '(anonymous)'}  ${url}${url ? `:${f.lineNumber + 1}` : ''}`
}
const agg = (key) => {
  const m = new Map()
  for (const [n, t] of self) m.set(key(n), (m.get(key(n)) ?? 0) + t)
  return [...m].sort((a, b) => b[1] - a[1])
}
const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(7)} ms`
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`)
console.log('\n-- self time by function --')
for (const [k, t] of agg(fnKey).slice(0, top)) console.log(`${pct(t)}  ${k}`)
console.log('\n-- self time by file --')
for (const [k, t] of agg(
  (n) =>
    n.callFrame.url
      .replace(/^file:\/\//, '')
      .replace(/.*\/(node_modules\/[^/]+).*/, '$1')
      .replace(/.*\/wt\/[^/]+\//, '') || `(${n.callFrame.functionName})`,
).slice(0, 15))
  console.log(`${pct(t)}  ${k}`)
