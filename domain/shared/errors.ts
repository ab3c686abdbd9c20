/**
 * A rule of the domain said no. `message` is French and shown to the user as is;
 * `field` names the form field it belongs beside, when there is one.
 */
export class DomainError extends Error {
  readonly status: number
  constructor(message: string, readonly field?: string, opts: { status?: number } = {}) {
    super(message)
    this.name = 'DomainError'
    this.status = opts.status ?? 422
  }
}

/** Several field errors at once (a form with many bad fields). */
export class ValidationError extends DomainError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors)[0] ?? 'Données invalides', Object.keys(fieldErrors)[0])
    this.name = 'ValidationError'
  }
}

/** The record changed since the form was loaded (optimistic concurrency). */
export class ConcurrencyError extends DomainError {
  constructor() {
    super("Cet enregistrement a été modifié par quelqu'un d'autre entre-temps. Rechargez la page pour voir la dernière version, puis refaites votre modification.", undefined, { status: 409 })
    this.name = 'ConcurrencyError'
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'Enregistrement') {
    super(`${what} introuvable.`, undefined, { status: 404 })
    this.name = 'NotFoundError'
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "Vous n'avez pas les droits pour cette action.") {
    super(message, undefined, { status: 403 })
    this.name = 'ForbiddenError'
  }
}
