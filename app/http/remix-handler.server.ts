import { createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from '@remix-run/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { bodyLimitFor, refusal } from './edge-rules.server'
import { ownHost } from './origin-check.server'
import { refuse } from './refuse.server'
import { BodyTooLargeError, runInRequestScope, type RequestScope } from './request-scope.server'

// @remix-run/express's handler, with two differences: the request body is counted while
// it streams and cut at the route's limit (a chunked upload has no Content-Length to
// check beforehand), and a request whose input proved unusable (too large, a form that
// cannot be parsed, a value Postgres refuses) is answered with a 4xx and its French
// reason instead of the 500 Remix renders for the error it caused.

type Build = ServerBuild | (() => Promise<ServerBuild>)

export function remixHandler(opts: { build: Build; mode?: string; getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext }) {
  const handle = createRequestHandler(opts.build, opts.mode ?? process.env.NODE_ENV)
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const scope: RequestScope = { problem: null }
    let request: Request
    try {
      request = toRemixRequest(req, res, scope)
    } catch {
      return refuse(req, res, 400, refusal.badUrl) // a Host or path no URL parser accepts
    }
    try {
      const response = await runInRequestScope(scope, () => handle(request, opts.getLoadContext(req, res)))
      if (scope.problem && (scope.problem.status === 413 || response.status >= 500)) {
        // Let the error page render to nowhere: cancelling it mid-stream only logs "destination closed early".
        await response.body?.pipeTo(new WritableStream()).catch(() => {})
        return refuse(req, res, scope.problem.status, scope.problem.reason)
      }
      await sendRemixResponse(res, response)
    } catch (error) {
      if (scope.problem) return refuse(req, res, scope.problem.status, scope.problem.reason)
      next(error)
    }
  }
}

function toRemixRequest(req: ExpressRequest, res: ExpressResponse, scope: RequestScope): Request {
  const url = new URL(`${req.protocol}://${ownHost(req)}${req.originalUrl}`)
  let controller: AbortController | null = new AbortController()
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: createRemixHeaders(req.headers), signal: controller.signal }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const limit = bodyLimitFor(req.path)
    init.body = limitedBody(req, limit, () => {
      scope.problem ??= { status: 413, reason: refusal.tooLarge(limit) }
    })
    init.duplex = 'half'
  }
  // As @remix-run/express: abort loaders and actions once the response can no longer be written.
  res.on('finish', () => (controller = null))
  res.on('close', () => controller?.abort())
  return new Request(url.href, init)
}

/**
 * The request body as a web stream that errors once more than `limit` bytes arrived.
 * The socket is paused, not destroyed: the 413 must still be written on it.
 */
function limitedBody(source: IncomingMessage, limit: number, onTooLarge: () => void): ReadableStream<Uint8Array> {
  let seen = 0
  let finished = false
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        source.on('data', (chunk: Buffer) => {
          if (finished) return
          seen += chunk.length
          if (seen > limit) {
            finished = true
            source.pause()
            onTooLarge()
            controller.error(new BodyTooLargeError(limit))
            return
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
          if ((controller.desiredSize ?? 0) <= 0) source.pause()
        })
        source.once('end', () => {
          if (!finished) controller.close()
          finished = true
        })
        source.once('error', (e) => {
          if (!finished) controller.error(e)
          finished = true
        })
      },
      pull() {
        if (!finished) source.resume()
      },
      cancel() {
        finished = true
        source.pause()
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  )
}

function createRemixHeaders(requestHeaders: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (!values) continue
    if (Array.isArray(values)) for (const value of values) headers.append(key, value)
    else headers.set(key, values)
  }
  return headers
}

// As @remix-run/express (not exported by its package entry).
async function sendRemixResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [key, value] of response.headers.entries()) res.append(key, value)
  if (/text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) res.flushHeaders()
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}
