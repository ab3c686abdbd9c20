import { tableRepository } from '../shared/run-command.js'
import type { Task } from '../../db/schema.js'
import { TASK_STREAM } from './task.js'

export const taskRepository = tableRepository<Task>('tasks', TASK_STREAM)
