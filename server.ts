import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type http from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { edgeGuards } from './app/http/edge-guards.server.js'
import { remixHandler } from './app/http/remix-handler.server.js'
import { securityHeaders } from './app/http/security-headers.server.js'
import { trustProxySetting } from './app/http/trust-proxy.server.js'
import { assertProductionSessionSecret } from './app/utils/session-secret.server.js'
import { startRuntime, startupFailure, stopOnSignals, type Runtime } from './runtime/runtime.js'
import { demoSeedFromEnv } from './runtime/seed-env.js'

const root = path.dirname(fileURLToPath(import.meta.url))

declare module '@remix-run/node' {
  interface AppLoadContext {
    runtime: Runtime
    /** The client's address: the socket's, or X-Forwarded-For from a proxy TRUST_PROXY names. Rate limits key on it. */
    clientIp?: string
    /** This response's Content-Security-Policy nonce (app/http/security-headers.server.ts). */
    cspNonce?: string
  }
}

/**
 * Serves the Remix app over a started runtime. Production build by default; `dev`
 * uses Vite's middleware (hot reload). The edge (app/http/) sets the security headers,
 * refuses hostile input with a 4xx and a reason, and limits request bodies.
 * `trustProxy` defaults to the TRUST_PROXY env setting (off).
 */
export async function serveApp(runtime: Runtime, opts: { port: number; host?: string; dev?: boolean; trustProxy?: string }): Promise<http.Server> {
  assertProductionSessionSecret()
  const trustProxy = trustProxySetting(opts.trustProxy ?? process.env.TRUST_PROXY)
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', trustProxy)
  app.use(securityHeaders({ dev: opts.dev }))
  app.use(compression())

  let build: ServerBuild | (() => Promise<ServerBuild>)
  if (opts.dev) {
    const vite = await import('vite')
    const viteServer = await vite.createServer({ server: { middlewareMode: true } })
    app.use(viteServer.middlewares)
    build = () => viteServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
  } else {
    app.use('/assets', express.static(path.join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }))
    app.use(express.static(path.join(root, 'build/client'), { maxAge: '1h' }))
    build = (await import(pathToFileURL(path.join(root, 'build/server/index.js')).href)) as ServerBuild
  }
  app.all(
    '*',
    edgeGuards({ trustProxy: trustProxy !== false }),
    remixHandler({ build, getLoadContext: (req, res) => ({ runtime, clientIp: req.ip, cspNonce: res.locals.cspNonce as string }) }),
  )

  return new Promise((resolve, reject) => {
    const server = app.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve(server))
    // A port already taken: a startup failure to print, not an uncaught exception.
    server.once('error', reject)
  })
}

/**
 * Closes the HTTP side for a stop: no new connection, event streams ended (they would
 * hold their sockets open for ever), idle keep-alive sockets closed as soon as they are
 * idle; what still runs after `graceMs` is cut.
 */
function closeHttp(server: http.Server, runtime: Runtime, graceMs = 2_000): Promise<void> {
  return new Promise<void>((resolve) => {
    runtime.beginStop()
    const idle = setInterval(() => server.closeIdleConnections(), 100)
    const cut = setTimeout(() => server.closeAllConnections(), graceMs)
    server.close(() => {
      clearInterval(idle)
      clearTimeout(cut)
      resolve()
    })
    server.closeIdleConnections()
  })
}

async function main() {
  const role = process.env.ALFORIS_ROLE ?? 'all' // 'all' (embedded default) or 'web'
  const dev = process.argv.includes('--dev')
  const port = Number(process.env.PORT ?? 3000)
  const log = (m: string) => console.log(`[alforis] ${m}`)
  // First thing: a SIGTERM or Ctrl+C during the start (the demo data loading) stops the
  // embedded Postgres too, and the next start completes the load.
  const shutdown = stopOnSignals(log)
  const runtime = await startRuntime({
    dataDir: process.env.ALFORIS_DATA_DIR || undefined,
    databaseUrl: process.env.DATABASE_URL || undefined,
    clickhouseUrl: process.env.CLICKHOUSE_URL || undefined,
    seed: demoSeedFromEnv(),
    // With servers, `npm run start:worker` runs the projector and the workers.
    projector: role === 'all',
    jobs: role === 'all' ? 'work' : 'send',
  })
  shutdown.setStop((step) => runtime.stop(step))
  let server: http.Server
  try {
    server = await serveApp(runtime, { port, dev })
  } catch (e) {
    await runtime.stop()
    throw e
  }
  // In order: requests and event streams, then the consumers, pg-boss and Postgres (runtime.stop).
  shutdown.setStop(async (step) => {
    await step('serveur HTTP', () => closeHttp(server, runtime), 3_000)
    await runtime.stop(step)
  })
  log(`prêt sur http://localhost:${port}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(startupFailure(e))
    process.exit(1)
  })
}
