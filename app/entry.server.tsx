import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { PassThrough } from 'node:stream'
import { renderToPipeableStream } from 'react-dom/server'
import { inputProblemOf } from './http/input-problems.server'
import { reportBodyProblem } from './http/request-scope.server'
import { NonceContext } from './utils/nonce'
import { stripNulBytes } from './utils/strip-nul-bytes.server'

// Remix's default node entry plus the CSP nonce (server.ts puts one per request in the
// load context; every inline script React and Remix write carries it) and an error hook
// that tells the edge when an error came from unusable input, not from a bug.

const ABORT_DELAY = 5_000

export default function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = loadContext.cspNonce ?? ''
  // Bots (and SPA mode) get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const ready = () => {
      shellRendered = true
      const body = new PassThrough()
      headers.set('Content-Type', 'text/html')
      // React 18.3 can write stray NUL bytes at its buffer edges (strip-nul-bytes.server.ts).
      resolve(new Response(createReadableStreamFromReadable(body.pipe(stripNulBytes())), { headers, status }))
      pipe(body)
    }
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          status = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return // the client went away: nothing to report
  if (isRouteErrorResponse(error) && error.status < 500) return // a 404 or 405 Remix answered itself: not a bug
  const problem = inputProblemOf(error)
  if (problem) {
    reportBodyProblem(problem)
    console.warn(`[alforis] entrée refusée (${problem.status}) ${request.method} ${new URL(request.url).pathname}: ${(error as Error).message}`)
    return
  }
  console.error(error)
}
