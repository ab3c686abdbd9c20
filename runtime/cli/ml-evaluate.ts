import fs from 'node:fs'
import { ValidationError } from '../../domain/shared/errors.js'
import { evaluateCsv, MappingError, parseMapping } from '../../domain/scoring/csv-evaluation.js'
import { parseArgs } from './cli-args.js'

// npm run ml:evaluate -- --csv opportunites.csv --mapping correspondance.json
// Exactly one JSON line on stdout (the figures); every warning and error on stderr.

function main(): number {
  let args: Map<string, string | true>
  try {
    args = parseArgs(process.argv.slice(2), ['csv', 'mapping'])
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`)
    return 2
  }
  const csv = args.get('csv')
  const mappingPath = args.get('mapping')
  if (typeof csv !== 'string' || typeof mappingPath !== 'string') {
    process.stderr.write('Usage : npm run ml:evaluate -- --csv FICHIER.csv --mapping CORRESPONDANCE.json\n')
    return 2
  }
  try {
    let mappingJson: unknown
    try {
      mappingJson = JSON.parse(fs.readFileSync(mappingPath, 'utf8'))
    } catch (e) {
      throw new MappingError(`Correspondance illisible (${mappingPath}) : ${(e as Error).message}`)
    }
    const mapping = parseMapping(mappingJson)
    const result = evaluateCsv(new Uint8Array(fs.readFileSync(csv)), mapping, (msg) => process.stderr.write(`Attention : ${msg}\n`))
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return 0
  } catch (e) {
    if (e instanceof MappingError || e instanceof ValidationError) {
      process.stderr.write(`${e.message}\n`)
      return 2
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`Fichier introuvable : ${(e as NodeJS.ErrnoException).path}\n`)
      return 2
    }
    throw e
  }
}

process.exitCode = main()
