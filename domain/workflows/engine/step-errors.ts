import { ConcurrencyError, DomainError } from '../../shared/errors.js'

/** A step that cannot succeed by retrying (bad configuration, a 4xx from a webhook): the run fails at once. */
export class PermanentStepError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PermanentStepError'
  }
}

/** Another worker moved the run on (a duplicated job): this one stops without recording anything. */
export class StaleRunError extends Error {}

export function isPermanent(e: unknown): boolean {
  if (e instanceof PermanentStepError) return true
  // A rule of the domain said no (validation, not found): the same input will be refused again.
  return e instanceof DomainError && !(e instanceof ConcurrencyError)
}

/**
 * What a run's log records of a failure: a refusal of the domain as its code (JSON when it
 * has params), translated by the pages that show it; any other error as its message.
 */
export const messageOf = (e: unknown) =>
  e instanceof DomainError ? (typeof e.problem === 'string' ? e.problem : JSON.stringify(e.problem)) : e instanceof Error ? e.message : String(e)
