import { AsyncLocalStorage } from 'node:async_hooks'

// What the edge learns about a request while Remix handles it: the body was cut at its
// limit, or a form could not be read. entry.server's handleError fills it in; the
// request handler (remix-handler.server.ts) turns it into a 4xx instead of Remix's 500.
//
// server.ts loads this file from source while the Remix build carries its own copy, so
// the storage lives on globalThis under a registered symbol: both copies share it.

export type BodyProblem = { status: 400 | 413; reason: string }
export type RequestScope = { problem: BodyProblem | null }

const KEY = Symbol.for('alforis.request-scope')
const g = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestScope> }
const storage = (g[KEY] ??= new AsyncLocalStorage<RequestScope>())

export function runInRequestScope<T>(scope: RequestScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn)
}

/** Marks the current request's input as unusable (first problem wins). */
export function reportBodyProblem(problem: BodyProblem): void {
  const scope = storage.getStore()
  if (scope && !scope.problem) scope.problem = problem
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`)
    this.name = 'BodyTooLargeError'
  }
}
