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

  return new Promise((resolve) => {
    const server = app.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve(server))
  })
}

async function main() {
  const role = process.env.ALFORIS_ROLE ?? 'all' // 'all' (embedded default) or 'web'
  const dev = process.argv.includes('--dev')
  const port = Number(process.env.PORT ?? 3000)
  const runtime = await startRuntime({
    dataDir: process.env.ALFORIS_DATA_DIR || undefined,
    databaseUrl: process.env.DATABASE_URL || undefined,
    clickhouseUrl: process.env.CLICKHOUSE_URL || undefined,
    seed: process.env.ALFORIS_SEED !== 'off',
    // With servers, `npm run start:worker` runs the projector and the workers.
    projector: role === 'all',
    jobs: role === 'all' ? 'work' : 'send',
  })
  const server = await serveApp(runtime, { port, dev })
  console.log(`[alforis] prêt sur http://localhost:${port}`)
  stopOnSignals(
    async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
        // Long-lived responses (event streams) get 3 s to finish, then are cut.
        setTimeout(() => server.closeAllConnections(), 3000).unref()
      })
      await runtime.stop()
    },
    (m) => console.log(`[alforis] ${m}`),
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(startupFailure(e))
    process.exit(1)
  })
}
