// The task lists' filter values (URL parameters, in French like the other lists), shared
// by loaders and components.

export const TASK_SCOPES = ['moi', 'crees', 'equipe', 'toutes'] as const
export type TaskScope = (typeof TASK_SCOPES)[number]
export const TASK_VIEWS = ['date', 'priorite', 'personne'] as const
export type TaskView = (typeof TASK_VIEWS)[number]
export const STATUS_FILTERS = ['ouvertes', 'fermees', 'toutes'] as const
export type StatusFilter = (typeof STATUS_FILTERS)[number]

/** The message key of each scope's label. */
export const SCOPE_LABEL = { moi: 'task.scope.mine', crees: 'task.scope.created', equipe: 'task.scope.team', toutes: 'task.scope.all' } as const
