// npm run bench:scoring — trains the win model on 100k closed synthetic deals (time split
// 80/20, the same pipeline as the nightly job) and times one prediction with its reasons,
// in-process, as the deal page does. Also times reading a 100k-row CSV export (ml:evaluate).
// One JSON line on stdout.
import { readCsv } from '../domain/crm/import/csv.js'
import { syntheticDeals } from '../domain/scoring/synthetic.js'
import { timeSplit } from '../domain/scoring/time-split.js'
import { predictWithReasons, trainWinModel } from '../domain/scoring/win-model.js'

const N = Number(process.env.BENCH_SCORING_ROWS ?? 100_000)
const ds = syntheticDeals(N, 1)
const { train, test } = timeSplit(ds.order)

let t = performance.now()
const cpu0 = process.cpuUsage()
const model = trainWinModel(ds, train)
const trainS = (performance.now() - t) / 1000
const trainCpuS = process.cpuUsage(cpu0).user / 1e6

const cols = new Map(ds.specs.map((s) => [s.name, ds.column(s.name)]))
const sample = test.slice(0, 20_000)
for (const i of sample.slice(0, 2000)) predictWithReasons(model, (name) => cols.get(name)![i]) // warm-up
const times: number[] = []
const t0 = performance.now()
for (const i of sample) {
  const s = performance.now()
  predictWithReasons(model, (name) => cols.get(name)![i])
  times.push(performance.now() - s)
}
const total = (performance.now() - t0) / 1000
times.sort((a, b) => a - b)
const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 1000) / 1000

const header = ['Result', 'Created', ...ds.specs.map((s) => s.name)].join(',')
const lines = Array.from({ length: N }, (_, i) =>
  [ds.y[i] ? 'Won' : 'Lost', new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString(), ...ds.specs.map((s) => cols.get(s.name)![i] ?? '')].join(','),
)
const bytes = Buffer.from([header, ...lines].join('\n'))
t = performance.now()
readCsv(bytes)
const csvReadS = (performance.now() - t) / 1000

process.stdout.write(
  `${JSON.stringify({
    rows: N,
    train_rows: train.length,
    trees: model.boosted.trees.length,
    depth: model.params.maxDepth,
    train_s: Math.round(trainS * 100) / 100,
    // Wall time on a shared machine can be several times the CPU time: both are printed.
    train_cpu_s: Math.round(trainCpuS * 100) / 100,
    predict_p50_ms: q(0.5),
    predict_p99_ms: q(0.99),
    predictions_per_s: Math.round(sample.length / total),
    csv_read_100k_s: Math.round(csvReadS * 100) / 100,
  })}\n`,
)
