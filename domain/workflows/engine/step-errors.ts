import { ConcurrencyError, describeProblem, DomainError, type Problem } from '../../shared/errors.js'

/** A step that cannot succeed by retrying (bad configuration, a 4xx from a webhook): the run fails at once. */
export class PermanentStepError extends Error {
  constructor(readonly problem: Problem) {
    super(describeProblem(problem))
    this.name = 'PermanentStepError'
  }
}

/** A code the run log keeps for the pages to translate: bare, or as JSON when it has params. */
export const recordedProblem = (p: Problem) => (typeof p === 'string' ? p : JSON.stringify(p))

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
  e instanceof DomainError || e instanceof PermanentStepError || (e instanceof Error && 'problem' in e && typeof e.problem !== 'undefined')
    ? recordedProblem((e as { problem: Problem }).problem)
    : e instanceof Error
      ? e.message
      : String(e)
