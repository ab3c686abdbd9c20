import { tableRepository } from '../shared/run-command.js'
import type { Contract } from '../../db/schema.js'
import { CONTRACT_STREAM } from './contract.js'

export const contractRepository = tableRepository<Contract>('contracts', CONTRACT_STREAM)
