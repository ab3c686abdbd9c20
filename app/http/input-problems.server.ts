import { refusal } from './edge-rules.server'
import type { BodyProblem } from './request-scope.server'

// Errors that mean "the input was unusable", not "the code is wrong": a form that cannot
// be parsed, a body cut at its limit, a value Postgres refuses to store or compare. The
// edge answers them with a 4xx and a reason (remix-handler.server.ts); every other error
// stays a 500 and is logged as a bug.

// Postgres SQLSTATEs raised by values, never by the query's shape:
// 22P02 invalid text for the type (a non-uuid id), 22021 bad UTF-8 / NUL byte,
// 22P05 untranslatable character, 22003 number out of range, 22007/22008 bad or
// out-of-range date, 22001 text too long for its column, 54000 value too large to index.
const VALUE_ERRORS = new Set(['22P02', '22021', '22P05', '22003', '22007', '22008', '22001', '54000'])

export function inputProblemOf(error: unknown): BodyProblem | null {
  if (!(error instanceof Error)) return null
  // By name: server.ts and the Remix build each load their own copy of the class.
  if (error.name === 'BodyTooLargeError') return { status: 413, reason: refusal.tooLarge((error as Error & { limit: number }).limit) }
  if (error instanceof TypeError && /FormData|Content-Type was not one of/i.test(error.message)) return { status: 400, reason: refusal.unreadableForm }
  // @remix-run/node's multipart parser (imports, logo) on a malformed body.
  if (/malformed part header|multipart|boundary/i.test(error.message) && !/^(?:Postgres|Kysely)/.test(error.name))
    return { status: 400, reason: refusal.unreadableForm }
  const code = (error as Error & { code?: unknown }).code
  if (typeof code === 'string' && VALUE_ERRORS.has(code)) return { status: 400, reason: refusal.badValue }
  return null
}
