import type { Repository } from '../../db/run-command.js'
import type { Task } from '../../db/schema.js'
import { TASK_STREAM } from './task.js'

export const taskRepository: Repository<Task> = {
  streamType: TASK_STREAM,
  load: (trx, ws, id) => trx.selectFrom('tasks').selectAll().where('workspace_id', '=', ws).where('id', '=', id).forUpdate().executeTakeFirst().then((r) => r ?? null),
  insert: async (trx, s) => { await trx.insertInto('tasks').values(s).execute() },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = s
    const r = await trx.updateTable('tasks').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).where('version', '=', expected).executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}
