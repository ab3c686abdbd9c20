// chdb lists optional native packages for macOS and linux-arm64 that the registry
// reachable from our machines does not serve, so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lockfile ("Missing … from lock
// file"). This re-adds them as optional entries with their os/cpu, which npm ci skips
// on linux-x64. Run after any dependency change: `node .ci/lock-chdb-optionals.mjs`.
// See docs/decisions/0004-npm-ci-and-chdb.md.
import fs from 'node:fs'

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'))
const chdb = lock.packages['node_modules/chdb']
const wanted = {
  '@chdb/lib-darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  '@chdb/lib-darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  '@chdb/lib-linux-arm64-gnu': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
}
let added = 0
for (const [name, platform] of Object.entries(wanted)) {
  const key = `node_modules/${name}`
  if (lock.packages[key]) continue
  const version = chdb.optionalDependencies[name]
  lock.packages[key] = { version, license: 'Apache-2.0', optional: true, ...platform }
  added++
}
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n')
console.log(`lockfile: ${added} chdb optional entr${added === 1 ? 'y' : 'ies'} added`)
