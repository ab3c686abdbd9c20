/** Who did it, from which request, because of what. Stored in `events.meta`. */
export type EventMeta = {
  actorId: string | null
  requestId?: string
  commandId?: string
  causationId?: string
  correlationId?: string
  /** How many workflow runs led to this change (0 or absent: a person did it); loop protection. */
  workflowDepth?: number
  source?: 'web' | 'job' | 'seed' | 'import' | 'api'
}

/** A domain event: past tense type, plain JSON data. */
export type DomainEvent<T extends string = string, D extends Record<string, unknown> = Record<string, unknown>> = {
  type: T
  data: D
}

/** Time and actor come in from outside; `decide` never reads the clock itself. */
export type CommandContext = {
  workspaceId: string
  actorId: string | null
  now: Date
  commandId?: string
  requestId?: string
  source?: EventMeta['source']
  /** Set by workflow steps: the run that caused the change, the first run of its chain, its depth. */
  causationId?: string
  correlationId?: string
  workflowDepth?: number
}
