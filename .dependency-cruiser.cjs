// The layers of Alforis CRM, written once (docs/architecture.md explains them):
//
//   entry points (server.ts, runtime/, bench/, e2e/)
//        │
//       app ──▶ jobs ──▶ projections ──▶ domain ──▶ db
//                  └────────────────────▶
//   seed/ (demo data: runs domain commands) sits beside jobs; testing/ serves every test.
//
// An arrow may skip layers downwards, never point up. `npm test` runs this check first
// (`npm run lint:layers`); testing/layers.test.ts proves a wrong-way import fails it.
const TEST = '\\.test\\.tsx?$'

/** A rule forbidding `from` to import any of `to` (folders at the repository root). */
const never = (name, comment, from, to, extra = {}) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^(${from.join('|')})/`, ...(extra.from ?? {}) },
  to: { path: `^(${to.join('|')})/`, ...(extra.to ?? {}) },
})

module.exports = {
  forbidden: [
    never(
      'db-is-the-floor',
      'db/ holds connections, schema and migrations: it knows no rule, no read model, no page.',
      ['db'],
      ['domain', 'projections', 'jobs', 'app', 'seed', 'runtime', 'testing'],
    ),
    never(
      'domain-below-its-consumers',
      'The domain decides; it never reaches up to read models, jobs, pages or the composition root.',
      ['domain'],
      ['projections', 'jobs', 'app', 'seed', 'runtime'],
    ),
    never('projections-below-jobs-and-app', 'Read models are fed by events; they do not run jobs or know pages.', ['projections'], ['jobs', 'app', 'runtime'], {
      from: { pathNot: TEST },
    }),
    never('projections-do-not-seed', 'Only tests of the read models may load the demo data.', ['projections'], ['seed'], { from: { pathNot: TEST } }),
    never('jobs-below-app', 'Jobs run commands and providers; the web layer and the composition root sit above them.', ['jobs'], ['app', 'runtime', 'seed']),
    never('seed-runs-the-domain', 'The demo seed builds data with the domain commands only.', ['seed'], ['app', 'jobs', 'projections', 'runtime']),
    never(
      'app-gets-the-runtime-by-context',
      'Routes receive the started runtime in the load context; they may name its type, never start one.',
      ['app'],
      ['runtime'],
      { to: { dependencyTypesNot: ['type-only'] } },
    ),
    never('app-does-not-seed', 'The web layer never loads demo data itself.', ['app'], ['seed'], { from: { pathNot: TEST } }),
    never(
      'testing-serves-every-layer',
      'Shared test helpers must not drag the web layer into a domain test; web helpers live in app/testing/.',
      ['testing'],
      ['app'],
    ),
    {
      name: 'tests-stay-out-of-the-product',
      comment: 'Product code never imports a test or a test helper.',
      severity: 'error',
      from: { path: '^(db|domain|projections|jobs|app|seed|runtime)/', pathNot: [TEST, '/testing/'] },
      to: { path: [TEST, '^testing/', '/testing/'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build|\\.data|public)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
